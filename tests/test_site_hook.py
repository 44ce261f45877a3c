"""The site hook, on a tiny two-language fixture site built in-process: badge words per state and language,
the status page, no report, and bad reports failing the build with the file named."""
from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from snipcheck import report as report_format
from snipcheck.site import report_view as site_report

FIXTURE = Path(__file__).parent / "fixtures" / "site" / "hook"
AT = "2026-11-30T10:00:00Z"


REASON_KO = "코드 조각일 뿐이라 실행하지 않음"


def tier(status, sha, reason=None, reason_ko=None, **environment):
    return {"status": status, "reason": reason, "reason_ko": reason_ko, "at": AT, "sha256": sha, "duration": 0.1,
            "output_tail": None, "environment": environment}


def fixture_report() -> dict:
    sha = {p.stem: report_format.sha256(p) for p in (FIXTURE / "snippets" / "demo").glob("*.sh")}
    snippets = {
        "passed": {"static": tier("passed", sha["passed"]), "local": tier("passed", sha["passed"]),
                   "cluster": tier("not-applicable", sha["passed"], "needs no cluster")},
        "failed": {"static": tier("passed", sha["failed"]),
                   "local": tier("failed", sha["failed"], "exit code 2\nmore")},
        "skipped": {"static": tier("skipped", sha["skipped"], "docker daemon not reachable")},
        "not-applicable": {"static": tier("not-applicable", sha["not-applicable"], "a fragment, never run",
                                          reason_ko=REASON_KO)},
        "changed": {"static": tier("passed", "0" * 64), "local": tier("passed", "0" * 64)},
        "local-only": {"static": tier("passed", sha["local-only"]), "local": tier("passed", sha["local-only"]),
                       "cluster": tier("skipped", sha["local-only"], "needs docker")},
        "cluster": {"static": tier("passed", sha["cluster"]),
                    "cluster": tier("passed", sha["cluster"], chain="notes-2021")},
    }
    return {"format": 1, "updated": AT, "machine": {"os": "Linux 6.1", "python": "3.11.7", "cpus": 2},
            "tools": {"kubectl": "v1.37.1", "kind": None},
            "chains": {"notes-2021": {"status": "passed", "reason": None, "at": AT, "kind": "v0.20.0",
                                      "node_image": "kindest/node:v1.21.14", "kubernetes": "v1.21.14",
                                      "evidence": "reports/cluster/notes-2021"}},
            "snippets": {f"demo/{k}.sh": {"sha256": sha.get(k), "pages": ["docs/states.md:3"], "tiers": v}
                         for k, v in snippets.items()}}


def build_fixture(tmp_path, monkeypatch, report: Path | None) -> Path:
    """Build the fixture site with the given report file (None: a path where no report exists)."""
    monkeypatch.chdir(FIXTURE)          # pymdownx.snippets resolves "snippets/..." from the working folder
    monkeypatch.setenv("SNIPCHECK_REPORT", str(report or tmp_path / "no-such-report.json"))
    site = tmp_path / "site"
    build(load_config(str(FIXTURE / "mkdocs.yml"), site_dir=str(site)))
    return site


def badges(site: Path, page: str) -> dict[str, str]:
    """heading -> badge text for each section of a built states page."""
    text = (site / page).read_text(encoding="utf-8")
    found = {}
    for section in re.split(r"<h2 ", text)[1:]:
        name = re.search(r'id="([^"]+)"', section)[1]
        badge = re.search(r'<span class="snipcheck-badge[^>]*>(.*?)</span></p>', section, re.S)
        found[name] = html.unescape(re.sub(r"<[^>]+>", " ", badge[1])).split() if badge else None
        found[name] = " ".join(found[name]) if found[name] else None
    return found


@pytest.fixture
def built(tmp_path, monkeypatch):
    path = tmp_path / "snippets.json"
    path.write_text(json.dumps(fixture_report()), encoding="utf-8")
    return build_fixture(tmp_path, monkeypatch, path)


EXPECTED = {
    "ko": {"passed": "✓ 검증됨: 로컬 실행 통과 (2026-11-30)",
           "failed": "✗ 2026-11-30에 실패 (로컬 실행): exit code 2",
           "skipped": "– 이 환경에서는 검증하지 않음: docker daemon not reachable",
           "not-applicable": f"– 이 환경에서는 검증하지 않음: {REASON_KO}",
           "changed": "! 마지막 검증(2026-11-30) 이후 변경됨: scripts/test 로 다시 검증하세요",
           "absent": "? 검증 보고서에 없음: scripts/test 를 실행하세요",
           "local-only": "✓ 검증됨: 로컬 실행 통과 (2026-11-30) 클러스터 실행: 검증하지 않음 (needs docker)",
           "cluster": "✓ 검증됨: 클러스터 실행 통과 (2026-11-30, kind v0.20.0, Kubernetes v1.21.14)"},
    "en": {"passed": "✓ Verified: local run passed (2026-11-30)",
           "failed": "✗ Failed on 2026-11-30 (local run): exit code 2",
           "skipped": "– Not verified here: docker daemon not reachable",
           "not-applicable": "– Not verified here: a fragment, never run",
           "changed": "! Changed since the last verification (2026-11-30): run scripts/test again",
           "absent": "? Not in the verification report: run scripts/test",
           "local-only": "✓ Verified: local run passed (2026-11-30) cluster run: not verified (needs docker)",
           "cluster": "✓ Verified: cluster run passed (2026-11-30, kind v0.20.0, Kubernetes v1.21.14)"},
}


@pytest.mark.parametrize("language,page", [("ko", "states/index.html"), ("en", "en/states/index.html")])
def test_badge_words_per_state_and_language(built, language, page):
    assert badges(built, page) == EXPECTED[language]


@pytest.mark.parametrize("page,shown,hidden", [("states/index.html", REASON_KO, "a fragment, never run"),
                                               ("en/states/index.html", "a fragment, never run", REASON_KO)])
def test_a_manifest_reason_is_shown_in_the_page_language(built, page, shown, hidden):
    """Korean pages show the manifest's Korean reason; machine reasons such as a skip stay English on both."""
    found = badges(built, page)
    assert found["not-applicable"].endswith(shown) and hidden not in found["not-applicable"]
    assert found["skipped"].endswith("docker daemon not reachable")


def test_badge_follows_an_indented_fence_too(built):
    text = (built / "states" / "index.html").read_text(encoding="utf-8")
    # the admonition is the page's last block: its code block, then the badge's paragraph
    assert re.search(r'<div class="admonition note">.*?</pre></div>\s*<p><span class="snipcheck-badge snipcheck-passed"',
                     text, re.S)


@pytest.mark.parametrize("language,page,words", [
    ("ko", "status/index.html", ["보고서 작성: 2026-11-30T10:00:00Z · Linux 6.1 · Python 3.11.7", "정적 검사",
                                 "notes-2021", "kindest/node:v1.21.14", "reports/cluster/notes-2021",
                                 'href="../states/"', REASON_KO]),
    ("en", "en/status/index.html", ["Report made: 2026-11-30T10:00:00Z · Linux 6.1 · Python 3.11.7", "static check",
                                    "notes-2021", "v1.21.14", 'href="../states/"', "demo/absent.sh",
                                    "a fragment, never run"]),
])
def test_status_page_shows_the_report(built, language, page, words):
    text = html.unescape((built / page).read_text(encoding="utf-8"))
    assert "snipcheck:status" not in text
    for word in words:
        assert word in text, f"{page}: missing {word!r}"


def test_status_page_counts_per_tier(built):
    text = (built / "en" / "status" / "index.html").read_text(encoding="utf-8")
    static_row = re.search(r"<td>static check</td>(.*?)</tr>", text, re.S)[1]
    # passed, failed, skipped, not applicable, changed
    assert re.findall(r"<td>(\d+)</td>", static_row) == ["4", "0", "1", "1", "1"]


@pytest.mark.parametrize("language,page,words", [
    ("ko", "states/index.html", "검증 보고서 없음: scripts/test 를 실행하세요"),
    ("en", "en/states/index.html", "No verification report: run scripts/test"),
])
def test_no_report_says_so_and_builds(tmp_path, monkeypatch, language, page, words):
    site = build_fixture(tmp_path, monkeypatch, None)
    found = badges(site, page)
    assert set(found.values()) == {"? " + words}


@pytest.mark.parametrize("name,message", [
    ("not-json.json", "not a readable JSON report"),
    ("wrong-format.json", "report format 2 is not 1"),
    ("wrong-status.json", "snippets.demo/passed.sh.tiers.static: status must be one of"),
])
def test_bad_report_is_a_build_error_naming_the_file(tmp_path, monkeypatch, caplog, name, message):
    path = FIXTURE / "reports" / name
    with pytest.raises(report_format.ReportError):      # what the hook raises: a ReportError and a MkDocs PluginError
        site_report.load(path)
    with pytest.raises(Abort):
        build_fixture(tmp_path, monkeypatch, path)
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any(name in e and message in e for e in errors), errors


def test_bad_report_on_the_command_line_has_no_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(tmp_path)],
                            cwd=FIXTURE, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "SNIPCHECK_REPORT": "reports/not-json.json"})
    assert result.returncode != 0
    assert "reports/not-json.json: not a readable JSON report" in result.stderr
    assert "Traceback" not in result.stderr


def test_each_language_build_leaves_one_search_index_per_language(built):
    ko = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    en = json.loads((built / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in ko["docs"] if d["location"].startswith("en/")]
    assert {d["location"] for d in en["docs"] if "#" not in d["location"]} == {"", "states/", "status/"}
    assert ko["config"]["lang"] == ["en", "ko"] and en["config"]["lang"] == ["en"]
    assert '"base": "../../en/"' in (built / "en" / "states" / "index.html").read_text(encoding="utf-8")


def switcher_links(page: Path) -> dict[str, str]:
    text = page.read_text(encoding="utf-8")
    found = re.findall(r'<a href="([^"]*)" hreflang="(\w+)" class="md-select__link">', text)
    return {lang: href for href, lang in found}


def test_home_switchers_link_to_the_twin_home_relatively(built):
    assert switcher_links(built / "index.html") == {"ko": "./", "en": "en/"}
    assert switcher_links(built / "en" / "index.html") == {"ko": "../", "en": "./"}
    assert switcher_links(built / "en" / "states" / "index.html") == {"ko": "../../states/", "en": "./"}
    # the head's hreflang links are gone: Material would fetch <link>/sitemap.xml for each (see site_search.py)
    assert '<link rel="alternate" href=' not in (built / "index.html").read_text(encoding="utf-8")


def test_without_the_hook_the_home_switcher_is_absolute(tmp_path, monkeypatch):
    """What the switcher fix is for: mkdocs-static-i18n alone links home pages under site_url's path."""
    monkeypatch.chdir(FIXTURE)
    monkeypatch.setenv("SNIPCHECK_REPORT", str(tmp_path / "none.json"))
    build(load_config(str(FIXTURE / "mkdocs.yml"), site_dir=str(tmp_path / "site"), hooks=[]))
    assert switcher_links(tmp_path / "site" / "index.html") == {"ko": "/hook/", "en": "/hook/en/"}
