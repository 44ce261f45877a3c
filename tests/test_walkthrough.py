"""Walkthroughs: a page's steps in order in one clean reader's shell, twice. Each deliberately broken fixture
(tests/fixtures/walkthrough/) is caught with the page line, the snippet and the session's earlier steps; the good
ones pass both attempts. Every step is fast and offline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from snipcheck import manifest, runner
from snipcheck.context import Context, Options
from snipcheck.errors import ManifestError
from snipcheck.reader import cleanroom
from snipcheck.report import Report
from snipcheck.structure import Layout
from snipcheck.walkthrough import nesting, page, walk
from snipcheck.walkthrough.check import WalkthroughFailure
from support.processes import live_with_arg

FIXTURE = Path(__file__).parent / "fixtures" / "walkthrough"
DOCS = FIXTURE / "docs"


@pytest.fixture(autouse=True)
def rooms(tmp_path, monkeypatch) -> Path:
    """Rooms go below the test's own temp folder, so the ones kept after a failure are cleaned up with it."""
    folder = tmp_path / "rooms"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


ROOT_LOGIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def context(tmp_path: Path) -> Context:
    layout = Layout(FIXTURE)
    report = tmp_path / "report.json"
    return Context(layout, manifest.Manifest(root=layout.snippets_dir), Options(report=report), Report(report))


def walkthrough(page_name: str, name: str):
    return next(w for w in page.read(DOCS / page_name, DOCS) if w.name == name)


def run(tmp_path: Path, page_name: str, name: str):
    ctx = context(tmp_path)
    found = walkthrough(page_name, name)
    return ctx, found, walk.run(found, walk.resolve(found, ctx), ctx)


def failure_of(tmp_path: Path, page_name: str, name: str) -> tuple[Context, WalkthroughFailure]:
    ctx = context(tmp_path)
    found = walkthrough(page_name, name)
    with pytest.raises(WalkthroughFailure) as caught:
        walk.run(found, walk.resolve(found, ctx), ctx)
    failure = caught.value
    assert failure.tier == "walkthrough" and "Traceback" not in failure.render()
    return ctx, failure


# --- reading pages ---------------------------------------------------------------------------------------


def test_steps_are_the_embedding_blocks_in_page_order():
    found = walkthrough("good.md", "venv-and-files")
    assert found.id == "good:venv-and-files" and found.line == 5 and found.where == "here"
    assert [(s.kind, s.target, s.name) for s in found.steps] == [
        ("shell", "snippets/good/make-venv.sh", None),
        ("shell", "snippets/good/activate.sh", None),
        ("file", "snippets/good/greet.py", "greet.py"),
        ("shell", "snippets/good/run-greet.sh", None),
    ]
    assert found.skipped == ((28, "never ends by itself"),)  # text blocks are no steps; skips need a reason


def test_code_file_without_a_name_is_a_clear_error():
    with pytest.raises(ManifestError) as caught:
        page.read(DOCS / "untitled.md", DOCS)
    message = str(caught.value)
    assert message.startswith(f"{caught.value.path}:5: a python block in walkthrough untitled has no file name")
    assert caught.value.path.endswith("docs/untitled.md") and 'title="NAME"' in message


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("<!-- walkthrough: a -->\n", 1, "walkthrough a is never closed"),
        ("<!-- /walkthrough -->\n", 1, "closes no walkthrough"),
        ("<!-- walkthrough: Bad_Name -->\n<!-- /walkthrough -->\n", 1, "a walkthrough needs a name"),
        ("<!-- walkthrough: a where=moon -->\n", 1, "unknown setting 'where=moon'"),
        ("<!-- walkthrough: a color=red -->\n", 1, "unknown setting 'color=red'"),
        ("<!-- walkthrough: a -->\n<!-- walkthrough: b -->\n", 2, "walkthrough opened inside walkthrough a"),
        (
            '<!-- walkthrough: a -->\n```bash\n--8<-- "snippets/x.sh"\n```\n<!-- walkthrough: b -->\n',
            5,
            "walkthrough opened inside walkthrough a",
        ),
        ("<!-- walkthrough: a -->\n<!-- /walkthrough -->\n", 1, "walkthrough a has no steps"),
        ("<!-- walkthrough: a -->\n<!-- walkthrough-skip: -->\n", 2, "walkthrough-skip marker needs a reason"),
    ],
)
def test_malformed_markers_name_their_line(tmp_path, text, line, message):
    bad = tmp_path / "docs" / "bad.md"
    bad.parent.mkdir()
    bad.write_text(text)
    with pytest.raises(ManifestError) as caught:
        page.read(bad, bad.parent)
    assert caught.value.line == line and message in caught.value.message


def test_markers_shown_inside_a_fence_are_not_walkthroughs(tmp_path):
    shown = tmp_path / "docs" / "shown.md"
    shown.parent.mkdir()
    shown.write_text("```markdown\n<!-- walkthrough: a -->\n```\n")
    assert page.read(shown, shown.parent) == []


# --- the clean reader's environment ----------------------------------------------------------------------


def test_the_session_sees_nothing_of_the_harness(monkeypatch):
    monkeypatch.setenv("SNIPCHECK_VENVS", "/somewhere")
    monkeypatch.setenv("PYTHONPATH", "/harness")
    monkeypatch.setenv("PIP_CACHE_DIR", "/cache")
    monkeypatch.setenv("UV_CACHE_DIR", "/uv-cache")
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    room = cleanroom.create()
    try:
        env = room.env()
    finally:
        room.remove()
    # the download caches of pip and uv are the one thing the harness shares, and the report says so
    assert set(env) <= {"HOME", "PATH", "PIP_CACHE_DIR", "UV_CACHE_DIR", *cleanroom.PASSED_THROUGH}
    assert env["https_proxy"] == "http://proxy.example:3128" and env["HOME"] == str(room.home)
    assert ".venvs" not in env["PATH"] and str(FIXTURE.parents[2]) not in env["PATH"]
    assert (env["PIP_CACHE_DIR"], env["UV_CACHE_DIR"]) == ("/cache", "/uv-cache")
    assert cleanroom.machine()["shared_between_runs"] == {
        "PIP_CACHE_DIR": "pip's download cache is shared between runs",
        "UV_CACHE_DIR": "uv's download cache is shared between runs",
    }


def test_without_a_shared_pip_cache_the_session_has_none_and_the_report_says_nothing(monkeypatch):
    monkeypatch.delenv("PIP_CACHE_DIR", raising=False)
    monkeypatch.delenv("UV_CACHE_DIR", raising=False)
    room = cleanroom.create()
    try:
        assert "PIP_CACHE_DIR" not in room.env()
    finally:
        room.remove()
    assert "shared_between_runs" not in cleanroom.machine()


# --- broken walkthroughs: each is caught with the page line, the snippet and the earlier steps ------------


def test_a_venv_never_activated_is_caught(tmp_path):
    ctx, failure = failure_of(tmp_path, "broken.md", "never-activated")
    assert failure.location == "snippets/broken/import-from-venv.sh:2"
    assert failure.summary.startswith("exited with code 127, expected 0")
    assert "python: command not found" in failure.summary
    assert failure.page_location.endswith("docs/broken.md:11") and failure.attempt == 1
    assert len(failure.earlier) == 1 and "snippets/good/make-venv.sh  (ran, exit 0)" in failure.earlier[0]
    shown = failure.render()
    assert "step 2 of 2, on the page at" in shown and "earlier steps of this session:" in shown
    assert "command: python -c 'import only_in_v; print(only_in_v.WHERE)'" in shown
    entry = ctx.report.walkthroughs["broken:never-activated"]
    assert entry["status"] == "failed" and [r["status"] for r in entry["runs"]] == ["failed", "skipped"]
    assert entry["runs"][0]["failed_step"] == "broken/import-from-venv.sh"
    tiers = {sid: ctx.report.snippets[sid]["tiers"]["walkthrough"] for sid in entry["steps"]}
    assert tiers["broken/import-from-venv.sh"]["status"] == "failed"
    assert tiers["good/make-venv.sh"]["status"] == "skipped"  # ran, but the walkthrough did not pass


def test_a_variable_only_the_harness_would_set_is_caught(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTER_NAME", "set-by-the-harness")  # the session must not see it
    _, failure = failure_of(tmp_path, "broken.md", "harness-variable")
    assert failure.location == "snippets/broken/use-cluster-name.sh:2"
    assert "CLUSTER_NAME: unbound variable" in failure.summary
    assert failure.earlier == [] and "(none: this is the first step)" in failure.render()


def test_a_step_that_fails_on_retry_is_caught_on_attempt_two(tmp_path):
    ctx, failure = failure_of(tmp_path, "broken.md", "not-on-retry")
    assert failure.attempt == 2 and failure.location == "snippets/good/make-out.sh:1"
    assert "File exists" in failure.summary
    assert "attempt 2 of 2 (the reader who retries, in the same HOME and folder)" in failure.render()
    runs = ctx.report.walkthroughs["broken:not-on-retry"]["runs"]
    assert [r["status"] for r in runs] == ["passed", "failed"]


def test_a_missed_expectation_names_the_manifest_line(tmp_path):
    _, failure = failure_of(tmp_path, "broken.md", "wrong-output")
    assert failure.summary == "stdout does not contain 'kfp 2.17.3'"
    assert any("(checks.yaml line" in row for row in failure.details)


def test_a_step_past_its_timeout_is_killed_and_named(tmp_path):
    _, failure = failure_of(tmp_path, "broken.md", "slow-step")
    assert failure.summary.startswith("did not finish within 1 s")
    assert failure.stdout.strip() == "started"


# --- good walkthroughs pass twice ------------------------------------------------------------------------


def test_a_good_walkthrough_passes_both_attempts(tmp_path, rooms):
    ctx, found, entry = run(tmp_path, "good.md", "venv-and-files")
    assert entry["status"] == "passed" and [r["status"] for r in entry["runs"]] == ["passed", "passed"]
    assert entry["steps"] == ["good/make-venv.sh", "good/activate.sh", "good/greet.py", "good/run-greet.sh"]
    result = ctx.report.snippets["good/run-greet.sh"]["tiers"]["walkthrough"]
    assert result["status"] == "passed"
    assert result["environment"]["walkthrough"] == "good:venv-and-files"
    assert result["environment"]["page"] == "docs/good.md" and result["environment"]["attempts"] == 2
    assert list(rooms.iterdir()) == []  # a passed walkthrough leaves nothing behind


def test_a_page_that_shows_the_recovery_step_passes_the_retry(tmp_path):
    _, _, entry = run(tmp_path, "good.md", "recovered")
    assert [r["status"] for r in entry["runs"]] == ["passed", "passed"]


# --- pytest items and the report file --------------------------------------------------------------------


def _pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "snipcheck.plugin",
            "--rootdir",
            str(FIXTURE),
            "-c",
            str(FIXTURE / "pytest.ini"),
            "-p",
            "no:cacheprovider",
            "--report",
            str(tmp_path / "report.json"),
            *args,
        ],
        cwd=FIXTURE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_one_item_per_walkthrough_of_a_korean_page(tmp_path):
    done = _pytest(tmp_path, "--collect-only", "-q", "docs/good.md", "docs/broken.md")
    assert "docs/good.md::walkthrough::venv-and-files" in done.stdout
    assert "docs/broken.md::walkthrough::never-activated" in done.stdout
    untitled = _pytest(tmp_path, "--collect-only", "-q", "docs/untitled.md")
    assert "docs/untitled.md:5: a python block in walkthrough untitled has no file name" in untitled.stdout


def test_the_session_writes_format_2_entries(tmp_path):
    done = _pytest(
        tmp_path,
        "-q",
        "-m",
        "walkthrough",
        "docs/good.md::walkthrough::venv-and-files",
        "docs/broken.md::walkthrough::never-activated",
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "snippets/broken/import-from-venv.sh:2: walkthrough tier: exited with code 127" in done.stdout
    data = json.loads((tmp_path / "report.json").read_text())
    good = data["walkthroughs"]["good:venv-and-files"]
    assert good["page"] == "docs/good.md" and good["line"] == 5 and good["status"] == "passed"
    assert set(good) >= {
        "name",
        "where",
        "chain",
        "reason",
        "reason_ko",
        "at",
        "duration",
        "environment",
        "steps",
        "runs",
    }
    assert data["walkthroughs"]["broken:never-activated"]["status"] == "failed"
    assert data["snippets"]["good/greet.py"]["tiers"]["walkthrough"]["status"] == "passed"


def test_a_cluster_section_is_no_walkthrough_item_its_chain_runs_it(tmp_path):
    done = _pytest(tmp_path, "--collect-only", "-q", "docs/good.md")
    ids = [row for row in done.stdout.splitlines() if "::walkthrough::" in row]
    assert "docs/good.md::walkthrough::escapes" in ids, done.stdout
    assert not [row for row in ids if "on-cluster" in row]


def test_clone_of_a_folder_that_is_no_repository_is_one_clear_line(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "c.md").write_text(
        '<!-- walkthrough: c clone=repo -->\n```bash\n--8<-- "snippets/good/make-out.sh"\n```\n<!-- /walkthrough -->\n'
    )
    ctx = context(tmp_path)
    ctx.layout = Layout(tmp_path / "not-a-repo")
    (tmp_path / "not-a-repo").mkdir()
    found = page.read(docs / "c.md", docs)[0]
    steps = walk.resolve(found, context(tmp_path))
    with pytest.raises(ManifestError) as caught:
        walk.run(found, steps, ctx)
    assert caught.value.line == 1 and "clone=repo: git clone of" in caught.value.message


@pytest.mark.parametrize(
    "setting, message",
    [
        ("{expect: {exit: 1}}", "a failing command ends the reader's session"),
        ("{timout: 3}", "timout"),
    ],
)
def test_bad_walkthrough_settings_name_their_line(tmp_path, setting, message):
    group = tmp_path / "snippets" / "g"
    group.mkdir(parents=True)
    (group / "x.sh").write_text("echo x\n")
    (group / "checks.yaml").write_text(
        "snippets:\n  x.sh:\n    static: {}\n    local: {}\n"
        "    cluster: {en: none, ko: 없음}\n    walkthrough: " + setting + "\n"
    )
    with pytest.raises(ManifestError) as caught:
        manifest.load_group(group.parent, group / "checks.yaml")
    assert caught.value.line == 6 and message in caught.value.message


# --- --update-expected: a step's walkthrough.expect.output_file, refreshed from a real walkthrough ------------


@pytest.fixture
def stale_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the fixture site (the refresh rewrites files), with the CI variable unset."""
    monkeypatch.delenv("CI", raising=False)
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    return root


def run_stale(root: Path, tmp_path: Path, name: str, **options):
    layout = Layout(root)
    report = tmp_path / "report.json"
    ctx = Context(
        layout, manifest.Manifest(root=layout.snippets_dir), Options(report=report, **options), Report(report)
    )
    found = next(w for w in page.read(layout.docs_dir / "stale.md", layout.docs_dir) if w.name == name)
    return ctx, walk.run(found, walk.resolve(found, ctx), ctx)


def test_a_stale_expected_output_fails_the_walkthrough(stale_copy, tmp_path):
    with pytest.raises(WalkthroughFailure) as caught:
        run_stale(stale_copy, tmp_path, "stale-output")
    assert caught.value.summary == "stdout does not match the expected output in snippets/stale/print-version.out"
    assert "-tool 1.0" in caught.value.render() and "+tool 2.0" in caught.value.render()


def test_update_expected_rewrites_a_stale_output_and_shows_the_diff(stale_copy, tmp_path, capsys):
    out = stale_copy / "snippets" / "stale" / "print-version.out"
    ctx, entry = run_stale(stale_copy, tmp_path, "stale-output", update_expected=True)
    assert out.read_text() == "tool 2.0\nready\n"
    assert [r["status"] for r in entry["runs"]] == ["passed", "passed"]  # the retry matches the refreshed file
    printed = capsys.readouterr().out
    assert "--update-expected rewrote snippets/stale/print-version.out" in printed
    assert "-tool 1.0" in printed and "+tool 2.0" in printed
    update = ctx.report.snippets["stale/print-version.sh"]["tiers"]["walkthrough"]["environment"]
    assert update["expected_output_update"]["file"] == "snippets/stale/print-version.out"
    assert "+tool 2.0" in update["expected_output_update"]["diff"]
    again, _ = run_stale(stale_copy, tmp_path, "stale-output", update_expected=True)  # now current: left alone
    assert (
        "expected_output_update"
        not in again.report.snippets["stale/print-version.sh"]["tiers"]["walkthrough"]["environment"]
    )


def test_update_expected_leaves_a_step_that_fails_otherwise(stale_copy, tmp_path, capsys):
    wrong = stale_copy / "snippets" / "stale" / "wrong-and-stale.out"
    with pytest.raises(WalkthroughFailure) as caught:
        run_stale(stale_copy, tmp_path, "stale-and-failing", update_expected=True)
    assert caught.value.summary == "stdout does not contain 'never printed'" and caught.value.step == 2
    assert wrong.read_text() == "something older\n"  # its other check failed: not refreshed
    # The step before it passed everything else, so its file was refreshed.
    assert (stale_copy / "snippets" / "stale" / "print-version.out").read_text() == "tool 2.0\nready\n"
    assert "rewrote snippets/stale/wrong-and-stale.out" not in capsys.readouterr().out


def test_update_expected_is_refused_in_ci(stale_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "1")
    out = stale_copy / "snippets" / "stale" / "print-version.out"
    with pytest.raises(ManifestError) as caught:
        run_stale(stale_copy, tmp_path, "stale-output", update_expected=True)
    assert caught.value.path.endswith("docs/stale.md") and caught.value.line == 5
    assert "--update-expected is refused in CI (the CI variable is set)" in caught.value.message
    assert out.read_text() == "tool 1.0\nready\n"


def test_update_expected_through_pytest_and_its_refusal_in_ci(stale_copy, tmp_path):
    out = stale_copy / "snippets" / "stale" / "print-version.out"
    args = ["-p", "snipcheck.plugin", "--rootdir", str(stale_copy), "-c", str(stale_copy / "pytest.ini")]
    args += ["--report", str(tmp_path / "r.json"), "docs/stale.md::walkthrough::stale-output", "--update-expected"]
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    command = [sys.executable, "-m", "pytest", "-s", *args]
    refused = subprocess.run(
        command, cwd=stale_copy, env={**env, "CI": "1"}, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode == 4 and "--update-expected is refused in CI" in refused.stderr
    assert out.read_text() == "tool 1.0\nready\n"
    done = subprocess.run(
        command, cwd=stale_copy, env={**env, "TMPDIR": str(tmp_path)}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "--update-expected rewrote snippets/stale/print-version.out" in done.stdout
    assert out.read_text() == "tool 2.0\nready\n"


@pytest.mark.parametrize("uid, expected", [(0, "/usr/local/bin:/usr/bin:/bin"), (1000, ROOT_LOGIN_PATH)])
def test_the_readers_path_has_no_sbin_folders_when_the_tests_run_as_root(monkeypatch, uid, expected):
    # A reader is an ordinary user: `sysctl` in /usr/sbin must fail in a walkthrough as it does for them.
    monkeypatch.setattr(cleanroom.os, "geteuid", lambda: uid)
    assert cleanroom._as_reader(ROOT_LOGIN_PATH) == expected


# The tests that run the `escapes` walkthrough (its `setsid -f sleep 86399` lives a moment before the session
# ends it) look for that sleep afterwards: under pytest-xdist they share one worker, so none sees another's.
ESCAPES = pytest.mark.xdist_group("walkthrough-escapes")
ESCAPED = "86399"  # the argument of that sleep (tests/fixtures/walkthrough/snippets/good/escape.sh)


@ESCAPES
def test_nothing_a_step_starts_outlives_the_session(tmp_path):
    # `setsid -f` leaves the session's process group; the session's PID namespace (or, without one, the
    # step marker) still ends it.
    _, _, entry = run(tmp_path, "good.md", "escapes")
    assert entry["status"] == "passed"
    assert live_with_arg(ESCAPED) == []


@ESCAPES
def test_without_a_pid_namespace_the_marker_ends_escapes_and_the_report_names_it(tmp_path, monkeypatch):
    monkeypatch.setenv(runner.NO_NAMESPACE_ENV, "1")
    _, found, entry = run(tmp_path, "good.md", "escapes")
    assert entry["status"] == "passed" and live_with_arg(ESCAPED) == []
    assert entry["environment"]["harness_adds"] == {runner.MARKER: runner.MARKER_WHY}
    assert "harness_adds" not in walk.environment(found, ["unshare", "--pid"])  # a namespace adds nothing


# --- nesting: a clone=repo walkthrough runs this repository's own harness, which must not start it again ---


def nested_repo(tmp_path: Path) -> Path:
    """A throwaway repository: the walkthrough fixture plus a page whose clone=repo step prints the mark."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo)
    (repo / "snippets" / "nest").mkdir()
    (repo / "snippets" / "nest" / "print-mark.sh").write_text('printf "mark: %s\\n" "${SNIPCHECK_WALKTHROUGH_OF:-}"\n')
    (repo / "snippets" / "nest" / "checks.yaml").write_text(
        "snippets:\n  print-mark.sh:\n    static: {}\n    local: {en: in the walkthrough, ko: 워크스루에서 실행됨}\n"
        "    cluster: {en: no cluster, ko: 클러스터 없음}\n"
        "    walkthrough: {timeout: 30, expect: {stdout: [{contains: 'mark: docs/outer.md docs/nest.md'}]}}\n"
    )
    (repo / "docs" / "nest.md").write_text(
        '<!-- walkthrough: mark clone=repo -->\n```bash\n--8<-- "snippets/nest/print-mark.sh"\n```\n'
        "<!-- /walkthrough -->\n"
    )
    git = ["git", "-C", str(repo), "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fixture"]):
        subprocess.run([*git, *args], check=True, capture_output=True, timeout=60)
    return repo


def nested_walk(repo: Path, tmp_path: Path):
    ctx = context(tmp_path)
    ctx.layout = Layout(repo)
    found = page.read(repo / "docs" / "nest.md", repo / "docs")[0]
    return ctx, found, walk.resolve(found, ctx)


def test_a_clone_session_carries_the_nesting_mark_and_the_report_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv(nesting.VARIABLE, "docs/outer.md")  # this run was itself started by another page's walk
    ctx, found, steps = nested_walk(nested_repo(tmp_path), tmp_path)
    assert walk.skip_reason(found, steps) is None
    entry = walk.run(found, steps, ctx)  # the step's expectation: the outer page, then this one
    assert entry["status"] == "passed"
    assert entry["environment"]["harness_adds"] == {nesting.VARIABLE: nesting.WHAT}


def test_a_session_without_clone_gets_no_mark(monkeypatch):
    monkeypatch.setenv(nesting.VARIABLE, "docs/outer.md")
    room = cleanroom.create()
    try:
        assert nesting.VARIABLE not in room.env()
    finally:
        room.remove()
    assert "harness_adds" not in walk.environment(walkthrough("good.md", "venv-and-files"))


def test_a_walkthrough_inside_a_run_its_own_page_started_is_skipped_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setenv(nesting.VARIABLE, "docs/outer.md docs/nest.md")
    _, found, steps = nested_walk(nested_repo(tmp_path), tmp_path)
    assert walk.skip_reason(found, steps) == (
        "this run was started by a walkthrough of docs/nest.md (SNIPCHECK_WALKTHROUGH_OF is set), "
        "and a walkthrough never runs inside itself",
        "docs/nest.md의 워크스루가 시작한 실행 안이므로(SNIPCHECK_WALKTHROUGH_OF가 설정됨) 실행하지 않음. "
        "워크스루는 자기 자신 안에서 다시 실행되지 않음",
    )


def test_the_real_contributing_walkthrough_clones_the_repository_and_is_guarded(monkeypatch):
    # The Contributing page runs scripts/test inside its clone; under its own mark that run skips it.
    docs = Path(__file__).parents[1] / "docs"
    found = next(w for w in page.read(docs / "contributing.md", docs) if w.name == "contributor")
    assert found.clone == "repo"
    monkeypatch.setenv(nesting.VARIABLE, "docs/contributing.md")
    assert "never runs inside itself" in walk.skip_reason(found, [])[0]


def _git_repo(root: Path) -> Path:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, timeout=60)

    root.mkdir()
    git("init", "--quiet", "--initial-branch=main")
    (root / "kept.txt").write_text("old\n")
    (root / "gone.txt").write_text("bye\n")
    (root / "tool").mkdir()
    (root / "tool" / "part.sh").write_text("echo part\n")
    git("add", "--all")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "--message", "start")
    return root


def test_a_clone_carries_the_uncommitted_working_tree_as_one_commit(tmp_path):
    source = _git_repo(tmp_path / "repo")
    (source / "kept.txt").write_text("new\n")
    (source / "gone.txt").unlink()
    shutil.rmtree(source / "tool")
    (source / "tool").write_text("now a file\n")  # a folder that became a file
    (source / "added.md").write_text("untracked\n")
    room = cleanroom.create(clone=source)
    try:
        work = room.work
        assert (work / "kept.txt").read_text() == "new\n"
        assert not (work / "gone.txt").exists()
        assert (work / "tool").read_text() == "now a file\n"
        assert (work / "added.md").read_text() == "untracked\n"
        status = subprocess.run(["git", "-C", str(work), "status", "--porcelain"], capture_output=True, text=True)
        assert status.stdout == ""  # --changed in the clone sees a clean tree, as in a fresh clone
    finally:
        room.remove()


def test_a_clone_carries_staged_changes_too(tmp_path):
    # `git rm` and `git add` leave nothing for `ls-files --modified`: the clone must still get them.
    source = _git_repo(tmp_path / "repo")
    subprocess.run(["git", "-C", str(source), "rm", "--quiet", "gone.txt"], check=True, timeout=60)
    (source / "kept.txt").write_text("staged\n")
    subprocess.run(["git", "-C", str(source), "add", "kept.txt"], check=True, timeout=60)
    room = cleanroom.create(clone=source)
    try:
        assert not (room.work / "gone.txt").exists()
        assert (room.work / "kept.txt").read_text() == "staged\n"
    finally:
        room.remove()


def test_a_clone_of_a_clean_checkout_is_its_head(tmp_path):
    source = _git_repo(tmp_path / "repo")
    room = cleanroom.create(clone=source)
    try:

        def head(folder: Path) -> str:
            return subprocess.run(
                ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True
            ).stdout

        assert head(room.work) == head(source)
    finally:
        room.remove()


def test_a_walkthrough_needs_what_its_steps_declare_under_walkthrough_needs(monkeypatch):
    # An SDK install runs only in its walkthrough, so its `needs: [pypi]` sits under `walkthrough:`.
    asked = []
    monkeypatch.setattr(nesting, "skip_reason", lambda page: None)
    monkeypatch.setattr(walk.needs, "missing", lambda wanted: asked.append(list(wanted)) or "pypi unreachable")
    install = SimpleNamespace(
        tiers={"local": manifest.Tier("local", False, reason="runs in its walkthrough")},
        walkthrough=manifest.WalkthroughCheck(needs=("pypi",)),
    )
    found = SimpleNamespace(page=Path("/r/docs/p.md"), docs=Path("/r/docs"))
    assert walk.skip_reason(found, [(None, install)]) == ("pypi unreachable", None)
    assert asked == [["pypi"]]
