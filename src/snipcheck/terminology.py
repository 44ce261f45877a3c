"""One Korean term per concept: the glossary on the Korean concepts page is the list the Korean pages follow.

The glossary page holds two tables, each between HTML comment markers:
- terms: `| concept | the site's term | variants not used | note |`, variants as inline code, comma-separated;
- check words: `| word | meaning |`, words of the test harness that reader text avoids unless the page
  defines them in a collapsible box (`??? info "..."` whose body holds `**word**`).
A variant in a Korean page's prose (outside code, links and HTML) is an error at its line, unless the
paragraph is marked with `<!-- term-ok: VARIANT: REASON -->` on the line right before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import pages
from .errors import ManifestError, display

GLOSSARY_PAGE = "concepts.md"
TERMS_MARK = "<!-- glossary: terms -->"
WORDS_MARK = "<!-- glossary: check-words -->"
END_MARK = "<!-- /glossary -->"
ALLOW = re.compile(r"^<!--\s*term-ok:\s*(?P<variant>[^:]*?)\s*(?::\s*(?P<reason>.*?))?\s*-->$")
VARIANT_CELL = re.compile(r"`([^`]+)`")
BOX_TITLE = re.compile(r"^\?\?\?\+?\s")
BOLD = re.compile(r"\*\*([^*]+)\*\*")
# What is not prose even inside a paragraph: inline code, a link's target, HTML tags, attribute lists.
NOT_PROSE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)|\]\([^)]*\)|<[^>]+>|\{[:#.][^}]*\}")


@dataclass(frozen=True)
class Term:
    line: int
    chosen: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class CheckWord:
    line: int
    word: str


@dataclass(frozen=True)
class Glossary:
    page: Path
    terms: tuple[Term, ...]
    words: tuple[CheckWord, ...]
    rows: frozenset[int]  # the glossary's own table lines, never checked


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(lines: list[str], mark: str, page: Path) -> list[tuple[int, list[str]]]:
    """The body rows of the table between `mark` and the end marker: (line number, cells)."""
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == mark)
    except StopIteration:
        raise ManifestError(page, 1, f"the glossary has no {mark} section") from None
    rows: list[tuple[int, list[str]]] = []
    for number in range(start + 2, len(lines) + 1):
        line = lines[number - 1].strip()
        if line == END_MARK:
            return [row for row in rows if not set(row[1][0]) <= set("-: ")]  # drop the separator row
        if line.startswith("|"):
            rows.append((number, _cells(line)))
        elif line:
            raise ManifestError(page, number, f"a glossary section holds only its table and ends with {END_MARK}")
    raise ManifestError(page, start + 1, f"the glossary section {mark} has no {END_MARK}")


def _term(page: Path, number: int, cells: list[str]) -> Term:
    if len(cells) != 4:
        raise ManifestError(page, number, f"a term row has 4 cells (concept, term, variants, note), not {len(cells)}")
    variants = tuple(VARIANT_CELL.findall(cells[2]))
    if cells[2] not in ("", "—", "-") and not variants:
        raise ManifestError(page, number, "write each variant as inline code: `Pod`, `포드`")
    chosen = cells[1].strip("* ")
    if chosen in variants:
        raise ManifestError(page, number, f'"{chosen}" is both the chosen word and a variant of it')
    return Term(number, chosen, variants)


def read_glossary(docs: Path) -> Glossary:
    page = docs / GLOSSARY_PAGE
    if not page.is_file():
        raise ManifestError(page, 1, "the glossary page is missing")
    lines = page.read_text(encoding="utf-8").splitlines()
    terms = [_term(page, n, cells) for n, cells in _table(lines, TERMS_MARK, page)[1:]]  # [0] is the header
    words = [CheckWord(n, cells[0].strip("* ")) for n, cells in _table(lines, WORDS_MARK, page)[1:]]
    rows = {n for n, _ in _table(lines, TERMS_MARK, page) + _table(lines, WORDS_MARK, page)}
    return Glossary(page, tuple(terms), tuple(words), frozenset(rows))


def _pattern(text: str) -> re.Pattern:
    if text.isascii():  # an English word only as a whole word: `Pod` is not inside `PodDefault`
        return re.compile(rf"(?<![\w.-]){re.escape(text)}(?![A-Za-z0-9_-])", re.ASCII)
    return re.compile(re.escape(text))


def _glossed(text: str, term: Term) -> str:
    """The text without the term's own gloss: `파드(Pod)` and `**파드**(Pod)` name the English word on purpose."""
    return re.sub(rf"{re.escape(term.chosen)}\**\s*\([^)]*\)", term.chosen, text)


def _boxes(lines: list[str]) -> tuple[set[int], set[str]]:
    """Lines inside collapsible boxes, and the words those boxes define in bold."""
    inside: set[int] = set()
    defined: set[str] = set()
    in_box = False
    for number, line in enumerate(lines, 1):
        if BOX_TITLE.match(line):
            in_box = True
            inside.add(number)
        elif in_box and (not line.strip() or line.startswith("    ")):
            inside.add(number)
            defined.update(BOLD.findall(line))
        else:
            in_box = False
    return inside, defined


def _allowances(page: Path, comments: list[pages.Comment], starts: set[int]) -> tuple[dict[int, str], list[str]]:
    allowed: dict[int, str] = {}
    found = []
    for comment in comments:
        match = ALLOW.match(comment.text)
        if not match:
            continue
        where = f"{display(page)}:{comment.line}"
        if not (match["reason"] or "").strip():
            found.append(f"{where}: a term-ok marker needs a reason: <!-- term-ok: VARIANT: WHY -->")
        elif comment.line + 1 not in starts:
            found.append(f"{where}: this term-ok marker excuses nothing; put it on the line right before the paragraph")
        else:
            allowed[comment.line + 1] = match["variant"]
    return allowed, found


def _page_problems(page: Path, glossary: Glossary) -> list[str]:
    lines = page.read_text(encoding="utf-8").splitlines()
    paragraphs, comments = pages.prose(page)
    allowed, found = _allowances(page, comments, {p.line for p in paragraphs})
    boxed, defined = _boxes(lines)
    skip = glossary.rows if page.resolve() == glossary.page.resolve() else frozenset()
    used_allowances: set[int] = set()
    for paragraph in paragraphs:
        for number, raw in enumerate(paragraph.lines, paragraph.line):
            if number in skip:
                continue
            text = NOT_PROSE.sub(" ", raw)
            for term in glossary.terms:
                glossed = _glossed(text, term)
                for variant in term.variants:
                    if not _pattern(variant).search(glossed):
                        continue
                    if allowed.get(paragraph.line) == variant:
                        used_allowances.add(paragraph.line)
                        continue
                    found.append(
                        f'{display(page)}:{number}: "{variant}" is not this site\'s Korean term; write '
                        f'"{term.chosen}" ({display(glossary.page)}:{term.line}), or mark the paragraph '
                        f"with <!-- term-ok: {variant}: REASON -->"
                    )
            if number in boxed:
                continue
            for word in glossary.words:
                if word.word not in defined and _pattern(word.word).search(text):
                    found.append(
                        f'{display(page)}:{number}: "{word.word}" is a word of the checks, not of the reader '
                        f"({display(glossary.page)}:{word.line}); say it plainly, or define it in this page's "
                        f'collapsible box (??? info "..." holding **{word.word}**)'
                    )
    found += [
        f'{display(page)}:{line - 1}: this term-ok marker excuses nothing: "{variant}" is not in the paragraph'
        for line, variant in sorted(allowed.items())
        if line not in used_allowances
    ]
    return found


def problems(docs: Path) -> list[str]:
    """Every place a Korean page departs from the glossary; a malformed glossary is one problem at its line."""
    try:
        glossary = read_glossary(docs)
    except ManifestError as error:
        return [str(error)]
    found: list[str] = []
    for page in pages.pages(docs):
        if pages.language_of(page) == "ko":
            found += _page_problems(page, glossary)
    return found
