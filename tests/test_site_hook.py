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
from snipcheck.site.reasons import skip_sentence
from snipcheck.site.words import WORDS

FIXTURE = Path(__file__).parent / "fixtures" / "site" / "hook"
AT = "2026-11-30T10:00:00Z"
CLUSTER_AT = "2026-12-01T03:00:00Z"

REASON_KO = "코드 조각일 뿐이라 실행하지 않음"
WALKED_KO = "페이지 순서대로만 실행함"
DOCKER_DOWN = (
    "docker daemon not reachable: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
    "Is the docker daemon running?"
)


def tier(status, sha, reason=None, reason_ko=None, at=AT, **environment):
    return {
        "status": status,
        "reason": reason,
        "reason_ko": reason_ko,
        "at": at,
        "sha256": sha,
        "duration": 0.1,
        "output_tail": None,
        "environment": environment,
    }


def fixture_report(format: int = 1) -> dict:
    """A report with a snippet in every state; format 2 adds a walkthrough (demo/walked.sh passed in page order)."""
    sha = {p.stem: report_format.sha256(p) for p in (FIXTURE / "snippets" / "demo").glob("*.sh")}
    snippets = {
        "passed": {
            "static": tier("passed", sha["passed"]),
            "local": tier("passed", sha["passed"]),
            "cluster": tier("not-applicable", sha["passed"], "needs no cluster", "클러스터가 필요 없음"),
        },
        "failed": {
            "static": tier("passed", sha["failed"]),
            "local": tier("failed", sha["failed"], "exited with code 2, expected 0\nmore"),
        },
        "skipped": {"static": tier("skipped", sha["skipped"], "docker daemon not reachable")},
        "not-applicable": {
            "static": tier("not-applicable", sha["not-applicable"], "a fragment, never run", reason_ko=REASON_KO)
        },
        "changed": {"static": tier("passed", "0" * 64), "local": tier("passed", "0" * 64)},
        "local-only": {
            "static": tier("passed", sha["local-only"]),
            "local": tier("passed", sha["local-only"]),
            "cluster": tier("skipped", sha["local-only"], "needs 8 CPUs, this machine has 2"),
        },
        "cluster": {
            "static": tier("passed", sha["cluster"]),
            "cluster": tier("passed", sha["cluster"], at=CLUSTER_AT, chain="notes-2021"),
        },
        "walked": {
            "static": tier("passed", sha["walked"]),
            "local": tier("not-applicable", sha["walked"], "runs only in page order", WALKED_KO),
        },
        "lint-only": {
            "static": tier("passed", sha["lint-only"]),
            "local": tier(
                "not-applicable",
                sha["lint-only"],
                "needs Docker to run the kind node",
                "kind 노드를 띄우려면 Docker가 필요함",
            ),
            "cluster": tier("skipped", sha["lint-only"], DOCKER_DOWN),
        },
    }
    report = {
        "format": format,
        "updated": AT,
        "machine": {"os": "Linux 6.1", "python": "3.11.7", "cpus": 2},
        "tools": {"kubectl": "v1.37.1", "kind": None},
        "chains": {
            "notes-2021": {
                "status": "passed",
                "reason": None,
                "at": CLUSTER_AT,
                "kind": "v0.20.0",
                "node_image": "kindest/node:v1.21.14",
                "kubernetes": "v1.21.14",
                "evidence": "reports/cluster/notes-2021",
            }
        },
        "snippets": {
            f"demo/{k}.sh": {"sha256": sha.get(k), "pages": ["docs/states.md:3"], "tiers": v}
            for k, v in snippets.items()
        },
    }
    if format == 2:
        report["machine"]["os_name"] = "Debian 12"
        env = {
            "walkthrough": "states:demo",
            "page": "docs/states.md",
            "os": "Debian 12",
            "python": "3.11.2",
            "attempts": 2,
        }
        report["snippets"]["demo/walked.sh"]["tiers"]["walkthrough"] = tier("passed", sha["walked"], **env)
        report["walkthroughs"] = {
            "states:demo": {
                "page": "docs/states.md",
                "line": 40,
                "name": "demo",
                "where": "here",
                "chain": None,
                "status": "passed",
                "reason": None,
                "reason_ko": None,
                "at": AT,
                "duration": 3.5,
                "environment": {"os": "Debian 12", "python": "3.11.2"},
                "steps": ["demo/walked.sh"],
                "runs": [
                    {"attempt": 1, "status": "passed", "duration": 2.0, "failed_step": None, "output_tail": None},
                    {"attempt": 2, "status": "passed", "duration": 1.5, "failed_step": None, "output_tail": None},
                ],
            }
        }
    return report


def build_fixture(tmp_path, monkeypatch, report: Path | None) -> Path:
    """Build the fixture site with the given report file (None: a path where no report exists)."""
    monkeypatch.chdir(FIXTURE)  # pymdownx.snippets resolves "snippets/..." from the working folder
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


def write_report(tmp_path, data: dict) -> Path:
    path = tmp_path / "snippets.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def build_once(tmp_path_factory, name: str, report: dict | None) -> Path:
    """The fixture site built once for the module's tests, which only read it (report None: no report file)."""
    folder = tmp_path_factory.mktemp(name)
    with pytest.MonkeyPatch.context() as monkeypatch:
        return build_fixture(folder, monkeypatch, write_report(folder, report) if report else None)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_once(tmp_path_factory, "format-1", fixture_report(1))


@pytest.fixture(scope="module")
def built2(tmp_path_factory):
    return build_once(tmp_path_factory, "format-2", fixture_report(2))


@pytest.fixture(scope="module")
def built_without_report(tmp_path_factory):
    return build_once(tmp_path_factory, "no-report", None)


SKIP_DOCKER = {
    "ko": "쿠버네티스 클러스터가 필요함; 클러스터 실행은 주간 CI에서 함",
    "en": "Needs a Kubernetes cluster; the weekly CI workflow runs it on one",
}
EXPECTED = {
    "ko": {
        "passed": "✓ 단독 실행됨: 이 블록만 따로, 페이지 순서와 상관없이 실행함 (2026-11-30)",
        "failed": "✗ 2026-11-30에 실패 (단독 실행): 명령이 오류로 끝남 자세한 내용은 검증 현황 페이지에 있음",
        "skipped": f"– 검사하지 않음: {SKIP_DOCKER['ko']}",
        "not-applicable": f"– 검사하지 않음: {REASON_KO}",
        "changed": "! 마지막 검증(2026-11-30) 이후 변경됨: scripts/test 로 다시 검증하세요",
        "absent": "? 검증 보고서에 없음: scripts/test 를 실행하세요",
        "local-only": "✓ 단독 실행됨: 이 블록만 따로, 페이지 순서와 상관없이 실행함 (2026-11-30) "
        "kind 클러스터 실행은 하지 않음: CPU와 메모리가 더 큰 머신이 필요함; 클러스터 실행은 주간 CI에서 함",
        "cluster": "✓ kind 클러스터에서 실행됨 (kind v0.20.0 · Kubernetes 1.21.14 · 2026-12-01)",
        "walked": f"– 실행하지 않음: 문법과 옵션만 검사함 (2026-11-30) {WALKED_KO}",
        "lint-only": f"– 실행하지 않음: 문법과 옵션만 검사함 (2026-11-30) {SKIP_DOCKER['ko']}",
    },
    "en": {
        "passed": "✓ Run on its own: this block alone, outside the page's order (2026-11-30)",
        "failed": "✗ Failed on 2026-11-30 (run on its own): the command ended with an error "
        "the status page has the details",
        "skipped": f"– Not checked: {SKIP_DOCKER['en']}",
        "not-applicable": "– Not checked: a fragment, never run",
        "changed": "! Changed since the last verification (2026-11-30): run scripts/test again",
        "absent": "? Not in the verification report: run scripts/test",
        "local-only": "✓ Run on its own: this block alone, outside the page's order (2026-11-30) "
        "No kind cluster run: Needs a machine with more CPUs and memory; the weekly CI workflow "
        "runs it on one",
        "cluster": "✓ Ran on a kind cluster (kind v0.20.0 · Kubernetes 1.21.14 · 2026-12-01)",
        "walked": "– Not run: syntax and options checked only (2026-11-30) runs only in page order",
        "lint-only": f"– Not run: syntax and options checked only (2026-11-30) {SKIP_DOCKER['en']}",
    },
}
WALKED = {
    "ko": "✓ 실행됨: 이 페이지 순서대로 새 환경에서 (2026-11-30 · Python 3.11 · Debian 12)",
    "en": "✓ Ran in page order in a fresh environment (2026-11-30 · Python 3.11 · Debian 12)",
}
PAGES = [("ko", "states/index.html"), ("en", "en/states/index.html")]


@pytest.mark.parametrize("language,page", PAGES)
def test_badge_words_per_state_and_language(built, language, page):
    """A format 1 report (no walkthroughs) still renders: each state in exact words."""
    assert badges(built, page) == EXPECTED[language]


@pytest.mark.parametrize("language,page", PAGES)
def test_format_2_badge_words_name_the_walkthrough(built2, language, page):
    assert badges(built2, page) == {**EXPECTED[language], "walked": WALKED[language]}


MACHINE_WORDS = [
    "docker daemon",
    "Cannot connect",
    "docker.sock",
    "needs 8 CPUs",
    "exited with code",
    "a fragment, never run",
    "runs only in page order",
    "needs no cluster",
]


@pytest.mark.parametrize("language,page", PAGES)
def test_no_badge_shows_machine_text_or_claims_verified(built2, language, page):
    """Badges carry readers' sentences only: the machine's English stays on the status page, and a lint is never
    called verified."""
    found = " ".join(v for v in badges(built2, page).values() if v)
    shown = [
        m
        for m in MACHINE_WORDS
        if m in found and (language == "ko" or m not in EXPECTED["en"]["not-applicable"] + EXPECTED["en"]["walked"])
    ]
    assert not shown, shown
    assert "검증됨" not in found and "Verified" not in found


def test_korean_page_shows_no_english_sentence(built2):
    """On a Korean page every badge is Korean: no run of three English words (tool names and versions aside)."""
    for name, text in badges(built2, "states/index.html").items():
        assert not re.search(r"[A-Za-z]{3,} [a-z]{2,} [a-z]{2,}", text or ""), f"{name}: {text}"


@pytest.mark.parametrize(
    "page,shown,hidden",
    [
        ("states/index.html", REASON_KO, "a fragment, never run"),
        ("en/states/index.html", "a fragment, never run", REASON_KO),
    ],
)
def test_a_manifest_reason_is_shown_in_the_page_language(built, page, shown, hidden):
    """Korean pages show the manifest's Korean reason; a machine's skip is a reader's sentence in both languages."""
    found = badges(built, page)
    assert found["not-applicable"].endswith(shown) and hidden not in found["not-applicable"]
    assert found["lint-only"].endswith(SKIP_DOCKER["ko" if page.startswith("states") else "en"])


@pytest.mark.parametrize(
    "reason,ko",
    [
        ("docker daemon not reachable: Cannot connect", "쿠버네티스 클러스터가 필요함; 클러스터 실행은 주간 CI에서 함"),
        ("kind not found on PATH", "쿠버네티스 클러스터가 필요함; 클러스터 실행은 주간 CI에서 함"),
        (
            "no network: cannot reach github.com:443 (timed out)",
            "인터넷 연결이 필요한데 검사한 머신에서는 연결할 수 없었음",
        ),
        (
            "no package index: cannot reach pypi.org:443 (timed out)",
            "PyPI에서 패키지를 내려받아야 하는데 검사한 머신에서는 PyPI에 연결할 수 없었음",
        ),
        ("needs 8 CPUs, this machine has 2", "CPU와 메모리가 더 큰 머신이 필요함; 클러스터 실행은 주간 CI에서 함"),
        (
            "needs 16 GiB of memory, this machine has 7.7",
            "CPU와 메모리가 더 큰 머신이 필요함; 클러스터 실행은 주간 CI에서 함",
        ),
        (
            "--cluster=existing --context x: this create-cluster step is not run; the existing cluster is used",
            "기존 클러스터를 쓰는 실행이었으므로 이 단계는 하지 않음",
        ),
        (
            "an earlier step of chain notes-2021 failed: setup-2021/03-create-cluster.sh",
            "앞 단계가 실패해서 이 단계는 실행하지 않음",
        ),
        (
            "changes the host's kernel settings with sudo: runs only on a disposable CI runner "
            "(GITHUB_ACTIONS=true with passwordless sudo)",
            "호스트의 커널 설정을 sudo로 바꾸므로 일회용 CI 러너에서만 실행함",
        ),
        (
            "changes the host's kernel settings with sudo: runs only on a disposable CI runner "
            "(GITHUB_ACTIONS=true with passwordless sudo); 'sudo -n true' failed: sudo: a password is required",
            "호스트의 커널 설정을 sudo로 바꾸므로 일회용 CI 러너에서만 실행함",
        ),
        (
            "something nobody foresaw",
            "검사한 머신에 필요한 조건이 없어 실행하지 않음; 자세한 내용은 검증 현황 페이지에 있음",
        ),
    ],
)
def test_each_skip_cause_has_a_readers_sentence(reason, ko):
    result = {"status": "skipped", "reason": reason, "reason_ko": None}
    assert skip_sentence(result, "ko") == ko
    assert skip_sentence(result, "en") in WORDS["en"]["skip"].values()


def test_the_sudo_skip_reads_the_same_in_english():
    result = {"status": "skipped", "reason": "changes the host's kernel settings with sudo: ...", "reason_ko": None}
    assert (
        skip_sentence(result, "en")
        == "Changes the host's kernel settings with sudo; runs only on a disposable CI runner"
    )


def test_badge_follows_an_indented_fence_too(built):
    text = (built / "states" / "index.html").read_text(encoding="utf-8")
    # the admonition is the page's last block: its code block, then the badge's paragraph
    assert re.search(
        r'<div class="admonition note">.*?</pre></div>\s*<p><span class="snipcheck-badge snipcheck-alone"', text, re.S
    )


@pytest.mark.parametrize(
    "language,page,words",
    [
        (
            "ko",
            "status/index.html",
            [
                "보고서 작성: 2026-11-30T10:00:00Z · Debian 12 · Python 3.11.7",
                "문법·옵션 검사",
                "notes-2021",
                "kindest/node:v1.21.14",
                "reports/cluster/notes-2021",
                'href="../states/"',
                REASON_KO,
                "여기: 페이지 순서대로 (states:demo)",
                "여기: 단독 실행",
                "클러스터 워크플로 (체인 notes-2021)",
                f"실행하지 않음: {REASON_KO}",
                "states:demo",
                "통과 · 2.0초 / 통과 · 1.5초",
                "3.5초",
                f"원문: {DOCKER_DOWN}",
                SKIP_DOCKER["ko"],
            ],
        ),
        (
            "en",
            "en/status/index.html",
            [
                "Report made: 2026-11-30T10:00:00Z · Debian 12 · Python 3.11.7",
                "syntax and options check",
                "notes-2021",
                "v1.21.14",
                'href="../states/"',
                "demo/absent.sh",
                "a fragment, never run",
                "here, in page order (states:demo)",
                "here, on its own",
                "the cluster workflow (chain notes-2021)",
                "passed · 2.0 s / passed · 1.5 s",
                f"message: {DOCKER_DOWN}",
            ],
        ),
    ],
)
def test_status_page_shows_the_report(built2, language, page, words):
    text = html.unescape((built2 / page).read_text(encoding="utf-8"))
    assert "snipcheck:status" not in text and "snipcheck:counts" not in text
    for word in words:
        assert word in text, f"{page}: missing {word!r}"


def test_status_page_of_a_format_1_report_has_no_walkthroughs(built):
    text = html.unescape((built / "status" / "index.html").read_text(encoding="utf-8"))
    assert "기록된 워크스루가 없습니다." in text and "Linux 6.1" in text


def test_status_page_counts_per_tier(built):
    text = (built / "en" / "status" / "index.html").read_text(encoding="utf-8")
    static_row = re.search(r"<td>syntax and options check</td>(.*?)</tr>", text, re.S)[1]
    # passed, failed, skipped, not applicable, changed
    assert re.findall(r"<td>(\d+)</td>", static_row) == ["6", "0", "1", "1", "1"]


def expected_counts(report: dict) -> dict:
    """The counts, computed here from the report and the files, independently of the site's code."""
    found = {"total": 0, "in_order": 0, "alone": 0, "cluster": 0, "lint": 0}
    for path in sorted((FIXTURE / "snippets" / "demo").glob("*.sh")):
        found["total"] += 1
        tiers = report["snippets"].get(f"demo/{path.name}", {}).get("tiers", {})
        passed = {n for n, t in tiers.items() if t["status"] == "passed" and t["sha256"] == report_format.sha256(path)}
        failed = any(t["status"] == "failed" for t in tiers.values())
        found["in_order"] += "walkthrough" in passed
        found["alone"] += "local" in passed and "walkthrough" not in passed
        found["cluster"] += "cluster" in passed
        found["lint"] += passed == {"static"} and not failed
    return found


@pytest.mark.parametrize(
    "language,page,pattern",
    [
        (
            "ko",
            "index.html",
            r"명령과 코드 블록 (?P<total>\d+)개 중 <strong>(?P<here>\d+)개</strong>는 테스트가 직접 "
            r"실행했습니다\(페이지 순서대로 (?P<in_order>\d+)개, 단독으로 (?P<alone>\d+)개\)\. "
            r"<strong>(?P<cluster>\d+)개</strong>는 kind 클러스터에서 실행했습니다"
            r"\(마지막 클러스터 실행: 2026-12-01\)\. <strong>(?P<lint>\d+)개</strong>는 "
            r"실행하지 않고 문법과 옵션만 검사했습니다\.",
        ),
        (
            "en",
            "en/index.html",
            r"Of (?P<total>\d+) commands and code blocks, <strong>(?P<here>\d+)</strong> ran in the "
            r"tests \((?P<in_order>\d+) in page order, (?P<alone>\d+) on their own\)\. "
            r"<strong>(?P<cluster>\d+)</strong> ran on a kind cluster \(latest cluster run: 2026-12-01\)\. "
            r"<strong>(?P<lint>\d+)</strong> were not run",
        ),
    ],
)
def test_home_page_counts_equal_the_reports(built2, language, page, pattern):
    text = (built2 / page).read_text(encoding="utf-8")
    assert "snipcheck:counts" not in text
    found = re.search(pattern, text)
    assert found, text[text.find("<article") :][:2000]
    want = expected_counts(fixture_report(2))
    assert {k: int(v) for k, v in found.groupdict().items() if k != "here"} == want
    assert int(found["here"]) == want["in_order"] + want["alone"]
    assert want == {"total": 10, "in_order": 1, "alone": 2, "cluster": 1, "lint": 1}


@pytest.mark.parametrize(
    "language,page,words",
    [
        ("ko", "states/index.html", "검증 보고서 없음: scripts/test 를 실행하세요"),
        ("en", "en/states/index.html", "No verification report: run scripts/test"),
    ],
)
def test_no_report_says_so_and_builds(built_without_report, language, page, words):
    found = badges(built_without_report, page)
    assert set(found.values()) == {"? " + words}


@pytest.mark.parametrize(
    "name,message",
    [
        ("not-json.json", "not a readable JSON report"),
        ("wrong-format.json", "report format 99 is not"),
        ("wrong-status.json", "snippets.demo/passed.sh.tiers.static.status: 'ok' is not one of"),
    ],
)
def test_bad_report_is_a_build_error_naming_the_file(tmp_path, monkeypatch, caplog, name, message):
    path = FIXTURE / "reports" / name
    with pytest.raises(report_format.ReportError):  # what the hook raises: a ReportError and a MkDocs PluginError
        site_report.load(path)
    with pytest.raises(Abort):
        build_fixture(tmp_path, monkeypatch, path)
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any(name in e and message in e for e in errors), errors


def test_bad_report_on_the_command_line_has_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(tmp_path)],
        cwd=FIXTURE,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SNIPCHECK_REPORT": "reports/not-json.json"},
    )
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


@pytest.mark.parametrize("language,index", [("ko", "search/search_index.json"), ("en", "en/search/search_index.json")])
def test_badges_stay_out_of_the_search_index(built, language, index):
    """The same line under every block would fill the index and match every search for its words."""
    docs = [d for d in json.loads((built / index).read_text(encoding="utf-8"))["docs"] if "states/" in d["location"]]
    text = html.unescape(" ".join(d["text"] for d in docs))
    assert {"passed", "failed"} <= {d["title"] for d in docs} and "echo passed" in text, "the page itself is indexed"
    assert not [words for words in EXPECTED[language].values() if words[2:] in text]
    page = built / ("en/" if language == "en" else "") / "states" / "index.html"
    assert "data-search-exclude" not in page.read_text(encoding="utf-8"), "the search marker stays in the page"


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
