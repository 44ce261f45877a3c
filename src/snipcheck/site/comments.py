"""Snippet comments in the page's language: a page in language L shows a snippet's `# L: ` lines as `# ` lines
and drops the other language's, so the copy button gives the reader comments they can read.

The hook calls embed_snippets on a page's Markdown: it writes each `--8<--` line inside a fence out as the
filtered file itself (with the embed line's indent), so pymdownx.snippets, which is configured once for every
language, never sees those lines. Every other embed (a section, a line range, a file outside snippets/, one
that does not exist) is left to pymdownx.snippets and its path check.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from ..comment_languages import MARKER, comments, kind_of
from ..pages import EMBED_LINE, FENCE
from .markdown import SNIPPETS_PREFIX


@functools.lru_cache(maxsize=1024)  # a pure function of its arguments; `mkdocs serve` rebuilds the same files
def for_language(text: str, kind: str | None, language: str) -> str:
    """The snippet as a page in `language` shows it; a file kind without comments comes back unchanged."""
    if kind is None:
        return text
    rows = text.split("\n")
    drop: set[int] = set()
    for comment in comments(text, kind):
        marker = MARKER.match(comment.text)
        if not (comment.own_line and marker):
            continue
        index = comment.line - 1
        if marker["language"] != language:
            drop.add(index)
        else:
            indent = rows[index][: len(rows[index]) - len(rows[index].lstrip())]
            rows[index] = f"{indent}# {marker['text']}" if marker["text"] else f"{indent}#"
    return "\n".join(row for index, row in enumerate(rows) if index not in drop)


def _whole_file(target: str) -> bool:
    # "file:section" and "file:start:end" are pymdownx.snippets' own; they stay with it.
    return target.startswith(SNIPPETS_PREFIX) and ":" not in target


def embed_snippets(markdown: str, language: str, read: Callable[[str], str | None]) -> str:
    """The page with every whole-file snippet embed inside a fence replaced by that file in `language`.

    read(target) gives the file's text, or None when it is missing (the line then stays for pymdownx.snippets,
    whose check_paths fails the build naming it).
    """
    out: list[str] = []
    fence: str | None = None  # the open fence's mark
    for line in markdown.split("\n"):
        match = FENCE.match(line)
        if fence is None:
            fence = match["mark"] if match else None
        elif match and match["mark"].startswith(fence) and not match["info"].strip():
            fence = None
        elif (embed := EMBED_LINE.match(line)) and not embed["escape"] and _whole_file(embed["target"].strip()):
            target = embed["target"].strip()
            text = read(target)
            if text is not None:
                # As pymdownx.snippets writes a file: every line, the last empty one too, after the embed's indent.
                shown = for_language(text, kind_of(target), language)
                indent = line[: len(line) - len(line.lstrip())]
                out += [indent + row for row in shown.split("\n")] if shown else []
                continue
        out.append(line)
    return "\n".join(out)


def reader(root: Path) -> Callable[[str], str | None]:
    """read(target) for embed_snippets: the target's text below root, None when it is not a file."""

    def read(target: str) -> str | None:
        path = root / target
        return path.read_text(encoding="utf-8") if path.is_file() else None

    return read
