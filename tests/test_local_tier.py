"""The local tier: each deliberately broken snippet is caught with a readable message; good ones pass."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from snipcheck import manifest
from snipcheck.context import Context, Options
from snipcheck.errors import SnippetFailure, display
from snipcheck.local import tier as local_tier
from snipcheck.report import Report
from snipcheck.structure import Layout

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken" / "local"
GOOD = FIXTURES / "good" / "local"


def context_of(root: Path, tmp_path: Path, **options) -> Context:
    layout = Layout(root)
    report = tmp_path / "report.json"
    return Context(layout, manifest.load(layout.snippets_dir), Options(report=report, **options), Report(report))


@pytest.fixture(autouse=True)
def sandboxes(tmp_path, monkeypatch) -> Path:
    """Sandboxes go below the test's own temp folder, so kept ones are cleaned up with it."""
    folder = tmp_path / "sandboxes"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.delenv("CI", raising=False)
    return folder


def run(root: Path, snippet_id: str, tmp_path: Path, **options):
    ctx = context_of(root, tmp_path, **options)
    snippet = ctx.manifest.snippets[snippet_id]
    return local_tier.run(snippet, snippet.tier("local"), ctx)


def failure_of(snippet_id: str, tmp_path: Path, root: Path = BROKEN) -> SnippetFailure:
    with pytest.raises(SnippetFailure) as caught:
        run(root, snippet_id, tmp_path)
    failure = caught.value
    assert failure.tier == "local"
    assert "Traceback" not in failure.summary
    return failure


def live_processes_of_group(pgid: int) -> list[int]:
    """Processes of a process group that are still alive (zombies are dead, only not yet reaped)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, group = fields[0], int(fields[2])
        if group == pgid and state not in ("Z", "X"):
            alive.append(int(entry.name))
    return alive


# --- broken fixtures: each is caught, with the point-7 message -----------------------------------------


def test_unbound_variable_names_its_line_and_both_pages(tmp_path):
    failure = failure_of("shell/unbound-variable.sh", tmp_path)
    assert failure.location == "snippets/shell/unbound-variable.sh:5"
    assert failure.summary.startswith("exited with code 1, expected 0")
    assert "KFCTL_TARBALL: unbound variable" in failure.summary
    docs = display(BROKEN / "docs")
    assert failure.pages == [f"{docs}/index.en.md:4", f"{docs}/index.md:4"]
    assert failure.command == "bash -euo pipefail unbound-variable.sh"
    assert failure.exit_code == 1
    text = failure.render()
    assert f"embedded in: {docs}/index.en.md:4, {docs}/index.md:4" in text
    assert "downloading kfctl for linux" in text  # the stdout tail


def test_missing_kfp_api_names_the_line_in_the_snippet(tmp_path):
    failure = failure_of("kfp/missing-api.py", tmp_path)
    assert failure.location == "snippets/kfp/missing-api.py:10"
    assert "AttributeError" in failure.summary and "build_python_component" in failure.summary
    assert failure.command.endswith("kfp-v2/bin/python missing-api.py")
    assert failure.pages == []
    assert "embedded in: (no page)" in failure.render()


def test_wrong_stdout_says_what_was_expected(tmp_path):
    failure = failure_of("shell/wrong-stdout.sh", tmp_path)
    assert failure.summary == "stdout does not contain 'hello kubeflow'"
    assert failure.location == "snippets/shell/wrong-stdout.sh:1"
    assert any("expected: stdout contains 'hello kubeflow'" in row for row in failure.details)
    assert "hello world" in failure.render()


def test_wrong_output_file_shows_a_unified_diff(tmp_path):
    failure = failure_of("shell/wrong-output-file.sh", tmp_path)
    assert failure.summary == "stdout does not match the expected output in snippets/shell/wrong-output-file.out"
    details = "\n".join(failure.details)
    assert "-workflow-controller-xyz   1/1   Running" in details
    assert "+workflow-controller-xyz   0/1   CrashLoopBackOff" in details
    assert "matches any run of lines" in details


def test_wrong_exit_code(tmp_path):
    failure = failure_of("shell/wrong-exit.sh", tmp_path)
    assert failure.summary == "exited with code 1, expected 0"
    assert failure.exit_code == 1
    assert "expected exit code: 0" in failure.details and "received exit code: 1" in failure.details


def test_hanging_command_is_killed_with_its_whole_group(tmp_path):
    started = time.monotonic()
    failure = failure_of("shell/hangs.sh", tmp_path)
    assert time.monotonic() - started < 30
    assert failure.summary == "did not finish within 2 s; its process group was killed"
    assert failure.exit_code is None
    pgid = int(failure.stdout.split()[0])
    assert live_processes_of_group(pgid) == []


def test_missing_produced_file_lists_what_is_there(tmp_path):
    failure = failure_of("shell/missing-file.sh", tmp_path)
    assert failure.summary == "the snippet did not produce pipeline.yaml"
    assert any("files there:" in row and "pipeline.yml" in row for row in failure.details)


def test_failing_yaml_check_shows_expected_beside_received(tmp_path):
    failure = failure_of("shell/wrong-yaml.sh", tmp_path)
    assert failure.summary == "pipeline.yaml has the wrong value at spec.templates.*.name"
    assert any(
        "expected spec.templates.*.name includes 'train'; received ['preprocess', 'evaluate']" in row
        for row in failure.details
    )


def test_failure_keeps_its_sandbox_and_says_where(tmp_path, sandboxes):
    failure = failure_of("shell/missing-file.sh", tmp_path)
    kept = [row for row in failure.details if row.startswith("sandbox kept for debugging: ")]
    assert kept
    root = Path(kept[0].split(": ", 1)[1].split(" (")[0])
    assert root.parent == sandboxes and (root / "work" / "pipeline.yml").is_file()


def test_missing_runtime_environment_is_a_clear_failure(tmp_path):
    ctx = context_of(GOOD, tmp_path)
    ctx.venvs = tmp_path / "no-venvs"
    snippet = ctx.manifest.snippets["kfp/compile_v2.py"]
    with pytest.raises(SnippetFailure) as caught:
        local_tier.run(snippet, snippet.tier("local"), ctx)
    assert "the kfp-v2 environment is missing" in caught.value.summary


# --- good fixtures: they pass, report their environment, and leave nothing behind ----------------------

GOOD_IDS = sorted(manifest.load(GOOD / "snippets").snippets)


@pytest.mark.parametrize("snippet_id", GOOD_IDS)
def test_good_snippets_pass_and_remove_their_sandbox(snippet_id, tmp_path, sandboxes):
    environment = run(GOOD, snippet_id, tmp_path)
    assert environment["duration"] >= 0
    assert list(sandboxes.iterdir()) == []


def test_environment_names_runtime_and_versions(tmp_path):
    assert run(GOOD, "kfp/compile_v2.py", tmp_path)["kfp"] == "2.17.3"
    v1 = run(GOOD, "kfp/compile_v1.py", tmp_path)
    assert v1["runtime"] == "kfp-v1" and v1["kfp"] == "1.8.24" and v1["python"].startswith("3.")
    assert run(GOOD, "shell/hello.sh", tmp_path)["runtime"] == "bash"


def test_a_pip_cache_shared_between_runs_is_stated_in_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PIP_CACHE_DIR", str(tmp_path / "pip-cache"))
    shared = run(GOOD, "shell/hello.sh", tmp_path)["shared_between_runs"]
    assert shared == {"PIP_CACHE_DIR": "pip's download cache is shared between runs"}
    monkeypatch.delenv("PIP_CACHE_DIR")
    assert "shared_between_runs" not in run(GOOD, "shell/hello.sh", tmp_path)


# --- --update-expected ---------------------------------------------------------------------------------


@pytest.fixture
def good_copy(tmp_path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    return root


def test_update_expected_rewrites_and_keeps_safe_elisions(good_copy, tmp_path, capsys):
    out = good_copy / "snippets" / "shell" / "hello.out"
    out.write_text(out.read_text().replace("all pods ready", "all pods are ready"))
    environment = run(good_copy, "shell/hello.sh", tmp_path, update_expected=True)
    update = environment["expected_output_update"]
    assert "-all pods are ready" in update["diff"] and "+all pods ready" in update["diff"]
    assert update["note"] is None
    assert out.read_text().splitlines()[1] == "..."  # the elision survived
    assert "--update-expected rewrote snippets/shell/hello.out" in capsys.readouterr().out
    assert "expected_output_update" not in run(good_copy, "shell/hello.sh", tmp_path, update_expected=True)


def test_update_expected_replaces_unsafe_elisions_and_says_so(good_copy, tmp_path):
    out = good_copy / "snippets" / "shell" / "hello.out"
    out.write_text("HEADER THAT CHANGED\n...\nall pods ready\n")
    update = run(good_copy, "shell/hello.sh", tmp_path, update_expected=True)["expected_output_update"]
    assert "could not be kept safely" in update["note"]
    assert "..." not in out.read_text().splitlines()


def test_update_expected_leaves_the_file_when_the_exit_code_is_wrong(good_copy, tmp_path):
    script = good_copy / "snippets" / "shell" / "hello.sh"
    script.write_text(script.read_text() + "exit 4\n")
    out = good_copy / "snippets" / "shell" / "hello.out"
    before = out.read_text()
    with pytest.raises(SnippetFailure) as caught:
        run(good_copy, "shell/hello.sh", tmp_path, update_expected=True)
    assert caught.value.summary == "exited with code 4, expected 0"
    assert out.read_text() == before


def test_update_expected_is_refused_in_ci(good_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(SnippetFailure) as caught:
        run(good_copy, "shell/hello.sh", tmp_path, update_expected=True)
    assert caught.value.summary.startswith("--update-expected is refused in CI")
    assert os.environ["CI"] == "true"
