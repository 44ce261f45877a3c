"""`.ci/run` runs the home page's quick start as a reader pastes it (its lines in order, in one shell, stopping
at the first failing one) and records that run in the report; a failure keeps its exit status and is recorded
as failed. The suite and the site build are stand-ins here: this checks .ci/run, not the docs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from snipcheck import report
from snipcheck.site import status

ROOT = Path(__file__).resolve().parent.parent
QUICK_START = "quick-start/build-site.sh"
# Stand-in scripts/test: writes a report holding the quick start (as the real suite does), logs, exits $1.
FAKE_TEST = """#!/usr/bin/env bash
echo test >> calls.log
"$PWD/.venvs/tools/bin/python" - <<'PY'
from snipcheck.report import Report
r = Report("reports/snippets.json")
r.snippet("quick-start/build-site.sh", "x", ["docs/index.md:57"])
r.tier("quick-start/build-site.sh", "local", "not-applicable", digest="x", reason="CI runs it")
r.write()
PY
exit "${FAKE_TEST_STATUS:-0}"
"""


@pytest.fixture
def repo(tmp_path) -> Path:
    """A checkout with the real .ci/run and quick start, stand-in scripts, and a stand-in apt-get on PATH."""
    root = tmp_path / "repo"
    (root / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", root / ".ci" / "run")
    (root / "snippets" / "quick-start").mkdir(parents=True)
    shutil.copy(ROOT / "snippets" / QUICK_START, root / "snippets" / QUICK_START)
    scripts = root / "scripts"
    scripts.mkdir()
    (scripts / "test").write_text(FAKE_TEST, encoding="utf-8")
    (scripts / "site").write_text("#!/usr/bin/env bash\necho site >> calls.log\n", encoding="utf-8")
    (root / ".venvs" / "tools" / "bin").mkdir(parents=True)
    python = root / ".venvs" / "tools" / "bin" / "python"  # this venv's python (a symlink would lose the venv)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "apt-get").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")  # as root, .ci/run calls it
    for script in (scripts / "test", scripts / "site", bin_dir / "apt-get", python):
        script.chmod(0o755)
    return root


def _ci_run(repo: Path, status: int) -> subprocess.CompletedProcess:
    path = f"{repo.parent / 'bin'}{os.pathsep}{os.environ['PATH']}"
    env = {**os.environ, "PATH": path, "FAKE_TEST_STATUS": str(status)}
    return subprocess.run(["bash", ".ci/run"], cwd=repo, env=env, capture_output=True, text=True, timeout=120)


def _local(repo: Path) -> dict:
    return json.loads((repo / "reports" / "snippets.json").read_text(encoding="utf-8"))["snippets"][QUICK_START][
        "tiers"
    ]["local"]


def test_the_quick_start_runs_in_page_order_and_its_run_is_recorded(repo):
    done = _ci_run(repo, 0)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (repo / "calls.log").read_text().split() == ["test", "site"]
    local = _local(repo)
    assert local["status"] == "passed" and local["environment"]["ran_by"] == ".ci/run"


@pytest.mark.parametrize("status", [1, 5])
def test_a_failing_suite_stops_the_quick_start_keeps_its_status_and_is_recorded_as_failed(repo, status):
    done = _ci_run(repo, status)
    assert done.returncode == status
    assert (repo / "calls.log").read_text().split() == ["test"]  # a reader's pasted lines stop there too
    assert _local(repo)["status"] == "failed"
    assert ("pytest collected no test" in done.stderr) == (status == 5)


def test_ci_run_pastes_the_blocks_the_report_names_as_run_by_ci():
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert [f"QUICK_START={sid}" for sid in report.CI_RUNS] == [
        line for line in text.splitlines() if line.startswith("QUICK_START=")
    ]


@pytest.mark.parametrize(
    "local, place",
    [
        ({"status": "not-applicable", "reason": "CI runs it"}, "CI: pasted into CI&#x27;s own shell"),  # the suite
        ({"status": "passed", "environment": {"ran_by": ".ci/run"}}, "CI: pasted into CI&#x27;s own shell"),  # CI's
    ],
)
def test_the_status_page_says_ci_runs_the_quick_start(local, place):
    tiers = {"static": {"status": "passed"}, "local": local, "cluster": {"status": "not-applicable"}}
    assert place in status.where_it_runs({}, QUICK_START, tiers, "en")


def test_a_block_run_on_its_own_by_the_suite_is_run_here():
    tiers = {"static": {"status": "passed"}, "local": {"status": "passed", "environment": {}}}
    assert "here, on its own" in status.where_it_runs({}, "kind/config.sh", tiers, "en")
