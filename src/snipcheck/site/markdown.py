"""Placing badges in a page's Markdown: right after each fence that embeds a snippet."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..pages import EMBED_LINE, FENCE, target_of

SNIPPETS_PREFIX = "snippets/"


def snippet_id(target: str) -> str | None:
    """'snippets/setup/x.sh' -> 'setup/x.sh' (the report's key); None for a file outside snippets/."""
    return target[len(SNIPPETS_PREFIX) :] if target.startswith(SNIPPETS_PREFIX) else None


def add_badges(markdown: str, badge_for: Callable[[str], str]) -> str:
    """The page with badge_for(snippet id) inserted after every fence that embeds snippets (same indent)."""
    out: list[str] = []
    fence: tuple[str, str, list[str]] | None = None  # (indent, mark, [snippet ids])
    for line in markdown.split("\n"):
        out.append(line)
        match = FENCE.match(line)
        if fence is None:
            if match:
                fence = (match["indent"], match["mark"], [])
            continue
        if match and match["mark"].startswith(fence[1]) and not match["info"].strip():
            indent, _, ids = fence
            for sid in ids:
                out += ["", indent + badge_for(sid), ""]
            fence = None
            continue
        embed = EMBED_LINE.match(line)
        if embed and not embed["escape"]:
            embedded = snippet_id(target_of(embed["target"]))
            if embedded:
                fence[2].append(embedded)
    return "\n".join(out)


STATUS_MARKER = re.compile(r"^<!--\s*snipcheck:status\s*-->\s*$", re.MULTILINE)
COUNTS_MARKER = re.compile(r"^<!--\s*snipcheck:counts\s*-->\s*$", re.MULTILINE)
