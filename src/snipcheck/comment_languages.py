"""Snippet comments per language: prose comments are written as a `# ko: ` block followed by a `# en: ` block.

The site shows each page's language only (site/comments.py); this module finds a snippet's comments and says
which of them break the format. A comment is found by the file's own rules (Python's tokenizer; for shell and
YAML, lines outside heredocs and block scalars), so a `#` inside a string or a heredoc is never taken for one.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("ko", "en")
KINDS = {".sh": "shell", ".bash": "shell", ".py": "python", ".yaml": "yaml", ".yml": "yaml"}
# `# ko: text` (or a bare `# ko:` for a blank comment line inside a block).
MARKER = re.compile(r"^#[ ](?P<language>ko|en):(?:[ ](?P<text>.*))?$")
# Comments that are read by a tool, not by a person: they stay as written in both languages.
NOT_PROSE = re.compile(r"^#(\s*$|\s*(shellcheck\s|noqa\b|type:|fmt:|-\*-|yaml-language-server:))")
NEAR_MARKER = re.compile(r"^#\s*(ko|en)\s*:", re.IGNORECASE)  # a marker spelt another way
HEREDOC = re.compile(r"<<-?\s*(['\"]?)(?P<word>\w+)\1")
BLOCK_SCALAR = re.compile(r"(^|[:\-]\s*|\s)[|>][0-9+-]*\s*(#.*)?$")
QUOTED = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"")
TRAILING = re.compile(r"\s(#.*)$")


@dataclass(frozen=True)
class Comment:
    line: int  # 1-based
    text: str  # from the `#` on, trailing whitespace removed
    own_line: bool  # nothing but indentation before it


def kind_of(path: str | Path) -> str | None:
    """'shell', 'python' or 'yaml' by the file's suffix; None for files whose comments are not checked."""
    return KINDS.get(Path(path).suffix)


def comments(text: str, kind: str) -> list[Comment]:
    if kind == "python":
        found = _python_comments(text)
        if found is not None:
            return found
    return _line_comments(text, kind)


def _python_comments(text: str) -> list[Comment] | None:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None  # the static tier reports the syntax error; the comments are read line by line instead
    rows = text.splitlines()
    return [
        Comment(t.start[0], t.string.rstrip(), not rows[t.start[0] - 1][: t.start[1]].strip())
        for t in tokens
        if t.type == tokenize.COMMENT
    ]


def _line_comments(text: str, kind: str) -> list[Comment]:
    found = []
    skip_until: str | None = None  # the heredoc word that ends the body being skipped
    scalar_indent: int | None = None  # the YAML block scalar's key indent: deeper lines are its text
    for number, row in enumerate(text.splitlines(), start=1):
        stripped = row.lstrip()
        indent = len(row) - len(stripped)
        if skip_until is not None:
            skip_until = None if stripped == skip_until else skip_until
            continue
        if scalar_indent is not None:
            if not stripped or indent > scalar_indent:
                continue
            scalar_indent = None
        if stripped.startswith("#"):
            found.append(Comment(number, stripped.rstrip(), True))
            continue
        trailing = TRAILING.search(QUOTED.sub(lambda m: "_" * len(m.group(0)), row))
        if trailing:
            found.append(Comment(number, trailing.group(1).rstrip(), False))
        code = row[: trailing.start()] if trailing else row
        # `<<` outside quotes opens a heredoc; its word may itself be quoted (<<'EOF').
        if kind == "shell" and "<<" in QUOTED.sub("", code) and (heredoc := HEREDOC.search(code)):
            skip_until = heredoc["word"]
        elif kind == "yaml" and BLOCK_SCALAR.search(code.rstrip()):
            scalar_indent = indent
    return found


def is_prose(comment: Comment) -> bool:
    return not NOT_PROSE.match(comment.text) and not (comment.line == 1 and comment.text.startswith("#!"))


def problems(text: str, kind: str, where: str) -> list[str]:
    """Every break of the format, as `where:LINE: message` (where names the snippet, e.g. snippets/x/y.sh)."""
    found: list[tuple[int, str]] = []
    runs: list[tuple[str, int, int]] = []  # (language, first line, last line) of adjacent marker lines
    unmarked: set[int] = set()
    for comment in comments(text, kind):
        marker = MARKER.match(comment.text)
        if not comment.own_line:
            if marker or is_prose(comment):
                found.append(
                    (
                        comment.line,
                        f"the comment {comment.text!r} follows code, so it cannot be shown "
                        "per language; put it on lines of its own above, as '# ko: ' lines then '# en: ' lines",
                    )
                )
        elif marker:
            language = marker["language"]
            if runs and runs[-1][0] == language and runs[-1][2] == comment.line - 1:
                runs[-1] = (language, runs[-1][1], comment.line)
            else:
                runs.append((language, comment.line, comment.line))
        elif NEAR_MARKER.match(comment.text):
            found.append(
                (
                    comment.line,
                    f"the marker of {comment.text!r} is misspelt; "
                    "write '# ko: ' or '# en: ' exactly (lowercase, a space after '#' and after ':')",
                )
            )
        elif is_prose(comment) and comment.line - 1 not in unmarked:
            found.append(
                (
                    comment.line,
                    f"the comment {comment.text!r} has no language marker; write it as "
                    "'# ko: ' lines (Korean) followed by '# en: ' lines (English)",
                )
            )
        if comment.own_line and not marker and is_prose(comment):
            unmarked.add(comment.line)  # the next line of the same paragraph is not reported again
    return [f"{where}:{line}: {message}" for line, message in sorted(found + _unpaired(runs))]


def _unpaired(runs: list[tuple[str, int, int]]) -> list[tuple[int, str]]:
    """A ko block needs an en block on the very next line, and an en block a ko block right before it."""
    found = []
    for index, (language, first, last) in enumerate(runs):
        before = runs[index - 1] if index else None
        after = runs[index + 1] if index + 1 < len(runs) else None
        if language == "ko" and not (after and after[0] == "en" and after[1] == last + 1):
            found.append(
                (
                    first,
                    "this ko comment block has no en block right after it; "
                    "add the English as '# en: ' lines on the next line",
                )
            )
        if language == "en" and not (before and before[0] == "ko" and before[2] == first - 1):
            found.append(
                (
                    first,
                    "this en comment block has no ko block right before it; "
                    "add the Korean as '# ko: ' lines on the line before",
                )
            )
    return found


def check(snippets_dir: Path, prefix: str, snippet_ids: list[str], skip: set[str]) -> list[str]:
    """The format's problems in every snippet shown as code (expected outputs, in skip, are not)."""
    found = []
    for sid in snippet_ids:
        kind = kind_of(sid)
        if kind is None or sid in skip:
            continue
        try:
            text = (snippets_dir / sid).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            found.append(f"{prefix}/{sid}:1: cannot be read as UTF-8 text: {exc}")
            continue
        found += problems(text, kind, f"{prefix}/{sid}")
    return found
