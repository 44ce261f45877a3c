"""LinkChecker, each page parsed once: `python linkchecker_memo.py ARGS` runs `linkchecker ARGS`.

With AnchorCheck on, LinkChecker treats every page#anchor as a URL of its own: it downloads the page again and
parses it twice more (for links, for anchors), so a page with 20 headings is parsed some 40 times, and parsing
is most of its time. Here the parsed tree and the links found in it are kept per page content, so each page is
parsed once and searched once per kind of tag. What is checked and reported stays LinkChecker's own.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Callable

_lock = threading.Lock()
_trees: dict = {}
_found: dict = {}


def shared_soup(make_soup: Callable) -> Callable:
    """make_soup keeping one parsed tree per page content (LinkChecker only reads the trees)."""

    def make(markup, from_encoding=None):
        data = markup if isinstance(markup, bytes) else markup.encode("utf-8", "surrogatepass")
        key = (hashlib.sha256(data).digest(), from_encoding)
        with _lock:
            if key not in _trees:
                _trees[key] = make_soup(markup, from_encoding)
            return _trees[key]

    return make


def shared_links(find_links: Callable) -> Callable:
    """find_links searching a tree once per kind of tag, then giving each URL's callback what it found."""

    def find(soup, callback, tags):
        key = (id(soup), id(tags))  # the trees are kept, so their ids stay theirs
        with _lock:
            if key not in _found:
                found: list = []
                find_links(soup, lambda url, **where: found.append((url, where)), tags)
                _found[key] = found
            found = _found[key]
        for url, where in found:
            callback(url, **where)

    return find


def main() -> int:
    # Imported here so that the tests can import this module without LinkChecker installed.
    from linkcheck.command.linkchecker import linkchecker
    from linkcheck.htmlutil import htmlsoup, linkparse

    htmlsoup.make_soup = shared_soup(htmlsoup.make_soup)
    linkparse.find_links = shared_links(linkparse.find_links)
    return linkchecker()


if __name__ == "__main__":
    sys.exit(main())
