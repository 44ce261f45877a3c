"""LinkChecker over the built site served on 127.0.0.1: every internal link and anchor of both languages and of
the sitemap resolves; a broken fixture site shows a broken link and a broken anchor are caught, naming the page."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import linkchecker_memo
from support.site_serve import ROOT, serve, shared_site

BROKEN = Path(__file__).parent / "fixtures" / "site" / "broken"
ANCHOR_MISSING = re.compile(r"Anchor `[^']*' .*not found")
# LinkChecker's threads (10 by default) share one rate limit per host; the test server lifts LinkChecker's
# 10-requests-a-second cap with its LinkChecker header, and this sets the rate it may use instead.
CONFIG = "[checking]\nmaxrequestspersecond=10000\n[AnchorCheck]\n"


def linkchecker() -> list[str]:
    """The command: LinkChecker of this Python (the tools environment), each page parsed once."""
    if importlib.util.find_spec("linkcheck") is None:
        pytest.skip("linkchecker not found (it comes with .venvs/tools, made by scripts/test)")
    return [sys.executable, linkchecker_memo.__file__]


def broken_links(base: str, starts: list[str], tmp_path: Path) -> list[str]:
    """'<page> line N: <link>: <problem>' for every internal link or anchor that does not resolve.

    External URLs are never fetched (LinkChecker checks intern URLs only unless --check-extern). A missing
    anchor is only a warning to LinkChecker, so the CSV output is read rather than its exit code."""
    config = tmp_path / "linkcheckerrc"
    config.write_text(CONFIG, encoding="utf-8")
    result = subprocess.run(
        linkchecker() + ["--no-status", "-o", "csv", "-f", str(config)] + [base + start for start in starts],
        capture_output=True,
        text=True,
        timeout=600,
    )
    rows = csv.DictReader(
        io.StringIO("\n".join(line for line in result.stdout.splitlines() if not line.startswith("#"))), delimiter=";"
    )
    problems = []
    for row in rows:
        page = re.sub(r"^https?://127\.0\.0\.1:\d+/", "/", row["parentname"] or "(start)")
        if row["valid"] != "True":
            problems.append(f"{page} line {row['line']}: {row['urlname']}: {row['result']}")
        elif ANCHOR_MISSING.search(row["warningstring"] or ""):
            problems.append(f"{page} line {row['line']}: {row['urlname']}: anchor not found")
    assert result.returncode in (0, 1), f"linkchecker failed to run:\n{result.stderr}"
    return problems


def test_the_broken_fixture_is_caught(tmp_path):
    with serve(BROKEN) as base:
        problems = broken_links(base, ["", "en/"], tmp_path)
    assert sorted(problems) == sorted(
        [
            "/ line 7: missing/: 404 File not found",
            "/ line 8: target/#no-such-anchor: anchor not found",
            "/en/ line 3: ../en-missing/: 404 File not found",
        ]
    )


def test_every_internal_link_and_anchor_of_the_site_resolves(tmp_path, tmp_path_factory):
    # A copy of the shared build: the sitemap is rewritten for this server, and the other site tests read it as built.
    site = Path(shutil.copytree(shared_site(tmp_path_factory), tmp_path / "site"))
    # The sitemap names pages by site_url; pointed at this server, LinkChecker follows every one of them.
    site_url = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)[1]
    sitemap = site / "sitemap.xml"
    with serve(site) as base:
        sitemap.write_text(sitemap.read_text(encoding="utf-8").replace(site_url, base), encoding="utf-8")
        problems = broken_links(base, ["", "en/", "sitemap.xml"], tmp_path)
    assert not problems, "broken internal links:\n" + "\n".join(problems)
