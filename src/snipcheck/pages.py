"""The pages: which snippets each Markdown page embeds, and which code it writes inline instead."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import display

LANGUAGES = ("ko", "en")       # ko is the default: page.md; English is page.en.md
COPYABLE = {"", "bash", "sh", "shell", "console", "zsh", "python", "py", "python3", "yaml", "yml", "json", "toml"}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<mark>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
EMBED_LINE = re.compile(r'^\s*(?P<escape>;?)--8<--\s+(?P<quote>["\'])(?P<target>[^"\']+)(?P=quote)\s*$')
EMBED_BLOCK = re.compile(r"^\s*--8<--\s*$")


@dataclass(frozen=True)
class Embed:
    page: Path
    line: int          # 1-based
    target: str        # as written, without a ":section" or ":start:end" suffix

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


def scan_page(page: Path) -> tuple[list[Embed], list[InlineBlock]]:
    """Every embed of the page, and every fenced copyable block whose body is written inline."""
    embeds, inline = [], []
    fence = None            # (mark, info, start line, body has inline text)
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
            fence = [match["mark"], match["info"].strip(), number, False]
            continue
        if match and fence is not None and match["mark"].startswith(fence[0]) and not match["info"].strip():
            info = fence[1].split()[0].lower().lstrip(".") if fence[1] else ""
            if fence[3] and info in COPYABLE:
                inline.append(InlineBlock(page, fence[2], info or "(no language)"))
            fence = None
            continue
        embed = EMBED_LINE.match(line)
        if embed and not embed["escape"]:
            embeds.append(Embed(page, number, target_of(embed["target"])))
        elif EMBED_BLOCK.match(line):
            in_block_embed = True
        elif fence is not None and line.strip():
            fence[3] = True
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
