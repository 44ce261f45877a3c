"""Structural checks of the site: one source of truth for code, both languages complete."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import comment_languages, page_walkthroughs, pages
from . import manifest as manifest_mod
from .errors import ManifestError, display

LANGUAGE_NAMES = {"ko": "Korean", "en": "English"}


@dataclass(frozen=True)
class Layout:
    """Where a site's parts live; the real repository and each test fixture have one."""

    root: Path
    docs: str = "docs"
    snippets: str = "snippets"

    @property
    def docs_dir(self) -> Path:
        return self.root / self.docs

    @property
    def snippets_dir(self) -> Path:
        return self.root / self.snippets

    def snippet_target(self, snippet_id: str) -> str:
        return f"{self.snippets}/{snippet_id}"


def inline_blocks(layout: Layout) -> list[str]:
    found = []
    for page in pages.pages(layout.docs_dir):
        for block in pages.scan_page(page)[1]:
            found.append(
                f"{display(block.page)}:{block.line}: a {block.info} code block is written inline; "
                f"put it in {layout.snippets}/ and embed it with --8<--"
            )
    return found


def missing_twins(layout: Layout) -> list[str]:
    by_key: dict[str, dict[str, Path]] = {}
    for page in pages.pages(layout.docs_dir):
        by_key.setdefault(pages.twin_key(page, layout.docs_dir), {})[pages.language_of(page)] = page
    found = []
    for key, langs in sorted(by_key.items()):
        for lang in pages.LANGUAGES:
            if lang not in langs:
                have = next(iter(langs.values()))
                twin = key if lang == "ko" else key[:-3] + ".en.md"
                found.append(
                    f"{display(have)}:1: has no {LANGUAGE_NAMES[lang]} twin "
                    f"({display(layout.docs_dir / twin)} is missing)"
                )
    return found


def broken_embeds(layout: Layout) -> list[str]:
    found = []
    for target, embeds in sorted(pages.embeds_by_target(layout.docs_dir).items()):
        if not (layout.root / target).is_file():
            found += [f"{e.where()}: embeds {target}, which does not exist" for e in embeds]
    return found


def embedding_gaps(layout: Layout) -> list[str]:
    """Snippets embedded nowhere, or in one language only."""
    by_target = pages.embeds_by_target(layout.docs_dir)
    found = []
    for snippet_id in manifest_mod.snippet_files(layout.snippets_dir):
        target = layout.snippet_target(snippet_id)
        langs = {pages.language_of(e.page): e for e in by_target.get(target, [])}
        if not langs:
            found.append(f"{target}:1: embedded in no page; embed it in a Korean and an English page")
            continue
        for lang in pages.LANGUAGES:
            if lang not in langs:
                other = next(iter(langs.values()))
                found.append(
                    f"{target}:1: embedded in a {LANGUAGE_NAMES[pages.language_of(other.page)]} page "
                    f"({other.where()}) but in no {LANGUAGE_NAMES[lang]} page"
                )
    return found


def undeclared_snippets(layout: Layout) -> list[str]:
    try:
        declared = manifest_mod.load(layout.snippets_dir).declared()
    except ManifestError as exc:
        return [str(exc)]
    found = []
    for snippet_id in manifest_mod.snippet_files(layout.snippets_dir):
        if snippet_id not in declared:
            group = Path(snippet_id).parent.as_posix()
            found.append(
                f"{layout.snippet_target(snippet_id)}:1: has no entry in "
                f"{layout.snippets}/{group}/{manifest_mod.MANIFEST_NAME}, so nothing checks it"
            )
    return found


def untranslated_reasons(layout: Layout) -> list[str]:
    """Korean pages show why a tier does not apply in Korean, so every such reason needs both languages."""
    try:
        loaded = manifest_mod.load(layout.snippets_dir)
    except ManifestError:
        return []  # undeclared_snippets reports the manifest error itself
    found = []
    for snippet in loaded.snippets.values():
        for tier in snippet.tiers.values():
            if not tier.applies and not tier.reason_ko:
                found.append(
                    f"{display(snippet.manifest)}:{tier.line}: the {tier.name} reason of "
                    f"{snippet.path.name} is in English only; write it as {{en: ..., ko: ...}}"
                )
    return found


# A command the reader is asked to run must be a snippet, so the tests run it. A sentence asks when it holds one of
# these words (English as whole words; Korean verb stems and the polite imperative ending) and, in inline code, a
# command of the site: a known program with arguments, or a script of the repository or of its environments.
ASKS_TO_RUN = re.compile(r"\b(run|type|execute|enter|paste)\b|실행|입력|돌리|돌려|붙여|세요", re.IGNORECASE)
PROGRAMS = frozenset(
    {
        "python",
        "python3",
        "pip",
        "pip3",
        "kubectl",
        "kind",
        "kfctl",
        "kustomize",
        "curl",
        "git",
        "source",
        ".",
        "command",
    }
)
SCRIPT = re.compile(r"^(scripts/[\w.-]+|\.venvs/[\w.-]+/bin/[\w.-]+)$")  # scripts/NAME, .venvs/ENV/bin/NAME
PROSE_MARKER = re.compile(r"^<!--\s*prose-command\b:?(?P<reason>.*?)-->$")


def is_command(code: str) -> bool:
    words = code.split()
    if not words:
        return False
    return bool(SCRIPT.match(words[0])) or (words[0] in PROGRAMS and len(words) > 1)  # `kubectl` alone names a tool


def _asked_commands(paragraph: pages.Paragraph) -> list[pages.CodeSpan]:
    return [
        span
        for sentence in paragraph.sentences()
        if ASKS_TO_RUN.search(sentence.words)
        for span in sentence.spans
        if is_command(span.code)
    ]


def prose_commands(layout: Layout) -> list[str]:
    """Prose that tells the reader to run a command written only inline; a marker with a reason excuses a paragraph."""
    found = []
    for page in pages.pages(layout.docs_dir):
        paragraphs, comments = pages.prose(page)
        asked = {p.line: _asked_commands(p) for p in paragraphs}
        markers = {c.line: m for c in comments if (m := PROSE_MARKER.match(c.text))}
        for line, marker in sorted(markers.items()):
            if not marker["reason"].strip():
                found.append(
                    f"{display(page)}:{line}: a prose-command marker needs a reason: "
                    f"<!-- prose-command: why this command stays inline -->"
                )
            elif not asked.get(line + 1):
                found.append(
                    f"{display(page)}:{line}: this prose-command marker excuses nothing; it must sit on the "
                    f"line right before a paragraph that asks to run an inline command"
                )
        for start, spans in asked.items():
            if start - 1 in markers:
                continue
            found += [
                f"{display(page)}:{span.line}: the prose asks the reader to run `{span.code}`, written only "
                f"inline; make it a snippet and embed it, or mark the paragraph with "
                f"<!-- prose-command: REASON -->"
                for span in spans
            ]
    return found


def _walkthroughs(layout: Layout) -> dict[Path, page_walkthroughs.Parsed]:
    return {page: page_walkthroughs.parse(page) for page in pages.pages(layout.docs_dir)}


def walkthrough_markers(layout: Layout) -> list[str]:
    return [row for parsed in _walkthroughs(layout).values() for row in parsed.marker_problems]


def walkthrough_titles(layout: Layout) -> list[str]:
    return [row for parsed in _walkthroughs(layout).values() for row in parsed.title_problems]


def walkthrough_twins(layout: Layout) -> list[str]:
    """Both languages declare the same walkthroughs and steps; a page with broken markers is reported above."""
    parsed = _walkthroughs(layout)
    by_key: dict[str, dict[str, Path]] = {}
    for page in parsed:
        by_key.setdefault(pages.twin_key(page, layout.docs_dir), {})[pages.language_of(page)] = page
    found = []
    for langs in by_key.values():
        ko, en = langs.get("ko"), langs.get("en")
        if ko and en and not parsed[ko].marker_problems and not parsed[en].marker_problems:
            found += page_walkthroughs.compare_twins(parsed[ko], parsed[en])
    return found


def comment_languages_of_snippets(layout: Layout) -> list[str]:
    """Prose comments of shown snippets come as a `# ko: ` block then a `# en: ` block (expected outputs excepted)."""
    try:
        outputs = set(manifest_mod.load(layout.snippets_dir).companions)
    except ManifestError:
        outputs = set()  # undeclared_snippets reports the manifest error itself
    snippet_ids = manifest_mod.snippet_files(layout.snippets_dir)
    return comment_languages.check(layout.snippets_dir, layout.snippets, snippet_ids, outputs)


def chain_sections(layout: Layout) -> list[str]:
    """A chain is the walkthrough of its pages: a page that shows a chain's steps marks them as a section
    `<!-- walkthrough: NAME where=cluster chain=CHAIN -->`, whose shell blocks are the chain's steps shown on
    that page, in the order the chain runs them (steps of other pages may come between: a joined step runs
    where its `after` puts it). A block the section shows but the chain does not run carries a
    `walkthrough-skip` with its reason."""
    try:
        chains = manifest_mod.load(layout.snippets_dir).chains
    except ManifestError:
        return []  # undeclared_snippets reports the manifest error itself
    prefix = layout.snippets + "/"
    by_target = pages.embeds_by_target(layout.docs_dir)
    found: list[str] = []
    for page, parsed in _walkthroughs(layout).items():
        if parsed.marker_problems:
            continue  # walkthrough_markers reports them
        marked = _chain_section_steps(parsed, chains, prefix, found)
        for chain in chains.values():
            found += _section_problems(page, chain, marked.get(chain.name, []), by_target, layout)
    return found


def _chain_section_steps(parsed, chains, prefix: str, found: list[str]) -> dict[str, list[tuple[int, str]]]:
    """chain name -> [(fence line, snippet id)] of the page's sections of that chain, in page order."""
    marked: dict[str, list[tuple[int, str]]] = {}
    for walk in parsed.walkthroughs:
        if walk.settings.get("where") != "cluster":
            continue
        name = walk.settings.get("chain", "")
        if name not in chains:
            found.append(f"{walk.where()}: walkthrough {walk.name} names chain {name}, which no checks.yaml declares")
            continue
        marked.setdefault(name, []).extend(
            (step.line, step.target.removeprefix(prefix)) for step in walk.steps if step.kind == "shell"
        )
    return marked


def _section_problems(page: Path, chain, marked: list[tuple[int, str]], by_target, layout: Layout) -> list[str]:
    found = []
    in_sections = {snippet for _, snippet in marked}
    for step in chain.steps:
        for line in sorted(e.line for e in by_target.get(layout.snippet_target(step), []) if e.page == page)[:1]:
            if step not in in_sections:
                found.append(
                    f"{display(page)}:{line}: {layout.snippet_target(step)} is a step of chain {chain.name}, but "
                    f"no walkthrough section of this page with where=cluster chain={chain.name} holds it"
                )
    last: tuple[int, str] | None = None
    for line, snippet in marked:
        if snippet not in chain.steps:
            found.append(
                f"{display(page)}:{line}: the walkthrough section of chain {chain.name} shows "
                f"{layout.snippet_target(snippet)}, which the chain does not run; give the block a "
                "walkthrough-skip with the reason, or make it a step of the chain"
            )
            continue
        if last and chain.steps.index(snippet) < chain.steps.index(last[1]):
            found.append(
                f"{display(page)}:{line}: chain {chain.name} runs {layout.snippet_target(snippet)} before "
                f"{layout.snippet_target(last[1])}, but the page shows it after (line {last[0]}); a chain follows "
                "its pages' order"
            )
        last = (line, snippet)
    return found


CHECKS = {
    "inline code": inline_blocks,
    "pages in both languages": missing_twins,
    "embeds point at files": broken_embeds,
    "snippets embedded in both languages": embedding_gaps,
    "snippets declared in the manifest": undeclared_snippets,
    "reasons in both languages": untranslated_reasons,
    "commands in prose": prose_commands,
    "walkthrough markers": walkthrough_markers,
    "walkthrough code files have names": walkthrough_titles,
    "walkthroughs match in both languages": walkthrough_twins,
    "snippet comments in both languages": comment_languages_of_snippets,
    "chains are walkthroughs of their pages": chain_sections,
}


def problems(layout: Layout) -> dict[str, list[str]]:
    return {name: check(layout) for name, check in CHECKS.items()}
