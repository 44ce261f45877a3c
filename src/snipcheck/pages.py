"""The pages: which snippets each Markdown page embeds, and which code it writes inline instead."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import display

LANGUAGES = ("ko", "en")  # ko is the default: page.md; English is page.en.md
COPYABLE = {"", "bash", "sh", "shell", "console", "zsh", "python", "py", "python3", "yaml", "yml", "json", "toml"}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<mark>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
EMBED_LINE = re.compile(r'^\s*(?P<escape>;?)--8<--\s+(?P<quote>["\'])(?P<target>[^"\']+)(?P=quote)\s*$')
EMBED_BLOCK = re.compile(r"^\s*--8<--\s*$")


@dataclass(frozen=True)
class Embed:
    page: Path
    line: int  # 1-based
    target: str  # as written, without a ":section" or ":start:end" suffix

    def where(self) -> str:
        return f"{display(self.page)}:{self.line}"


@dataclass(frozen=True)
class InlineBlock:
    page: Path
    line: int
    info: str


def language_of(page: Path) -> str:
    return "en" if page.name.endswith(".en.md") else "ko"


def twin_key(page: Path, docs: Path) -> str:
    """The page's name without its language: docs/setup.en.md and docs/setup.md share 'setup.md'."""
    rel = page.relative_to(docs).as_posix()
    return rel[: -len(".en.md")] + ".md" if rel.endswith(".en.md") else rel


def target_of(raw: str) -> str:
    # pymdownx.snippets allows "file:section" and "file:start:end"; the file is what we track.
    return re.sub(r"(:[\w-]*)+$", "", raw.strip()) if ":" in raw and not raw.startswith("http") else raw.strip()


@dataclass
class _OpenFence:
    mark: str
    info: str
    line: int
    has_text: bool = False  # the body has inline text (not only embeds)


def scan_page(page: Path) -> tuple[list[Embed], list[InlineBlock]]:
    """Every embed of the page, and every fenced copyable block whose body is written inline."""
    embeds: list[Embed] = []
    inline: list[InlineBlock] = []
    fence: _OpenFence | None = None
    in_block_embed = False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if in_block_embed:
            if EMBED_BLOCK.match(line):
                in_block_embed = False
            elif line.strip() and not line.strip().startswith(";"):
                embeds.append(Embed(page, number, target_of(line)))
            continue
        match = FENCE.match(line)
        if match and fence is None:
            fence = _OpenFence(match["mark"], match["info"].strip(), number)
            continue
        if match and fence is not None and match["mark"].startswith(fence.mark) and not match["info"].strip():
            info = fence.info.split()[0].lower().lstrip(".") if fence.info else ""
            if fence.has_text and info in COPYABLE:
                inline.append(InlineBlock(page, fence.line, info or "(no language)"))
            fence = None
            continue
        embed = EMBED_LINE.match(line)
        if embed and not embed["escape"]:
            embeds.append(Embed(page, number, target_of(embed["target"])))
        elif EMBED_BLOCK.match(line):
            in_block_embed = True
        elif fence is not None and line.strip():
            fence.has_text = True
    return embeds, inline


def pages(docs: Path) -> list[Path]:
    return sorted(p for p in Path(docs).rglob("*.md") if p.is_file())


def embeds_by_target(docs: Path) -> dict[str, list[Embed]]:
    """target path (as written in the page, relative to the repository) -> every place that embeds it."""
    result: dict[str, list[Embed]] = {}
    for page in pages(docs):
        for embed in scan_page(page)[0]:
            result.setdefault(embed.target, []).append(embed)
    return result


# Inline code in prose: what a sentence says around a code span decides whether it asks the reader to run it.
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?P<code>.+?)(?<!`)\1(?!`)")
COMMENT_OPEN = "<!--"
OWN_BLOCK = re.compile(r"^\s*(#{1,6}\s|\||[-*+]\s|\d+[.)]\s|!!!|\?\?\?)")  # heading, table row, list item, admonition
ONE_LINE_BLOCK = re.compile(r"^\s*(#{1,6}\s|!!!|\?\?\?)")  # heading, admonition title
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
PLACEHOLDER = "\0{}\0"


@dataclass(frozen=True)
class CodeSpan:
    line: int
    code: str


@dataclass(frozen=True)
class Sentence:
    words: str  # the sentence with every code span replaced by a placeholder
    spans: tuple[CodeSpan, ...]


@dataclass(frozen=True)
class Paragraph:
    """Prose lines outside fences, comments and front matter; a heading, table row or list item starts a new one."""

    page: Path
    line: int  # first line, 1-based
    lines: tuple[str, ...]

    def sentences(self) -> list[Sentence]:
        spans: list[CodeSpan] = []

        def mask(number: int, text: str) -> str:
            def one(match: re.Match) -> str:
                spans.append(CodeSpan(number, match["code"].strip()))
                return PLACEHOLDER.format(len(spans) - 1)

            return CODE_SPAN.sub(one, text)

        text = " ".join(mask(number, line.strip()) for number, line in enumerate(self.lines, self.line))
        result = []
        for words in SENTENCE_END.split(text):
            held = tuple(spans[int(i)] for i in re.findall(r"\0(\d+)\0", words))
            result.append(Sentence(words, held))
        return result


@dataclass(frozen=True)
class Comment:
    line: int
    text: str  # the whole comment line, stripped


def prose(page: Path) -> tuple[list[Paragraph], list[Comment]]:
    """The page's prose paragraphs, and its whole-line HTML comments (where markers live), outside fences."""
    paragraphs: list[Paragraph] = []
    comments: list[Comment] = []
    current: list[str] = []
    start = 0
    fence = None
    in_comment = in_front = False

    def close() -> None:
        nonlocal current
        if current:
            paragraphs.append(Paragraph(page, start, tuple(current)))
        current = []

    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if number == 1 and stripped == "---":
            in_front = True
            continue
        if in_front:
            in_front = stripped != "---"
            continue
        match = FENCE.match(line)
        if fence is not None:
            if match and match["mark"].startswith(fence) and not match["info"].strip():
                fence = None
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        if match:
            close()
            fence = match["mark"]
        elif stripped.startswith(COMMENT_OPEN):
            close()
            comments.append(Comment(number, stripped))
            in_comment = "-->" not in line
        elif not stripped:
            close()
        else:
            if OWN_BLOCK.match(line):
                close()
            if not current:
                start = number
            current.append(line)
            if ONE_LINE_BLOCK.match(line):
                close()
    close()
    return paragraphs, comments
