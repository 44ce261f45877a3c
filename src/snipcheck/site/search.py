"""One search index per language, so a search on a Korean page lists Korean pages and on an English page English ones.

mkdocs-static-i18n writes a single index at search/search_index.json with every language in it, and Material's
English pages read it from the site root. After the last language is built, the English entries move to
en/search/search_index.json and the English pages' search base points at en/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

INDEX = Path("search") / "search_index.json"
CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")')


def split_index(site_dir: Path, default: str, others: list[str], settings: dict[str, dict]) -> None:
    """Move each non-default language's entries into <lang>/search/search_index.json, links relative to <lang>/;
    settings: language -> search config keys (lang, separator, pipeline) for that language's index."""
    root_index = Path(site_dir) / INDEX
    if not root_index.exists():
        return
    data = json.loads(root_index.read_text(encoding="utf-8"))
    for lang in others:
        prefix = f"{lang}/"
        mine = [
            dict(e, location=e["location"][len(prefix) :]) for e in data["docs"] if e["location"].startswith(prefix)
        ]
        data["docs"] = [e for e in data["docs"] if not e["location"].startswith(prefix)]
        _write(
            Path(site_dir) / lang / INDEX,
            {**data, "config": {**data["config"], **settings.get(lang, {})}, "docs": mine},
        )
    data["config"] = {**data["config"], **settings.get(default, {})}
    _write(root_index, data)


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def point_search_at(output: str, lang: str) -> str:
    """A page of language <lang> (served under /<lang>/) with Material's base moved to its language root."""

    def moved(match: re.Match) -> str:
        base = match[2].rstrip("/") or "."
        return f"{match[1]}{base}/{lang}/{match[3]}"

    return CONFIG_BASE.sub(moved, output, count=1)


HEAD_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def drop_head_alternates(output: str) -> str:
    """Without the head's hreflang links (sitemap.xml keeps them for search engines).

    Material treats each as a language root, fetches <link>/sitemap.xml and reroutes the switcher through it; with
    per-page links that fetch fails on every page (a console error) and the reroute lands on the home page whenever
    the host differs from site_url. The switcher's own links already lead to the same page in the other language.
    """
    end = output.find("</head>")
    if end < 0:
        return HEAD_ALTERNATE.sub("", output)
    return HEAD_ALTERNATE.sub("", output[:end]) + output[end:]  # the links are in the head: scan only that
