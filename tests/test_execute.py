"""Running one snippet: its runtime, its sandbox, its environment, and no process left behind."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from snipcheck import execute, manifest, sandbox
from snipcheck.context import Context, Options
from snipcheck.report import Report
from snipcheck.structure import Layout

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good" / "local"
BROKEN = FIXTURES / "broken" / "local"


@pytest.fixture
def ctx(tmp_path, monkeypatch) -> Context:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    layout = Layout(GOOD)
    report = tmp_path / "report.json"
    return Context(layout, manifest.load(layout.snippets_dir), Options(report=report), Report(report))


def snippet_of(ctx: Context, snippet_id: str):
    snippet = ctx.manifest.snippets[snippet_id]
    return snippet, snippet.tier("local")


def alive(pid: int) -> bool:
    """True for a live process; a zombie (dead, not yet reaped) counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def test_each_runtime_has_its_command(ctx):
    shell, tier = snippet_of(ctx, "shell/hello.sh")
    assert execute.argv_of(shell, tier, ctx) == ["bash", "-euo", "pipefail", "hello.sh"]
    for snippet_id, venv in [("kfp/compile_v1.py", "kfp-v1"), ("kfp/compile_v2.py", "kfp-v2"),
                             ("kfp/tools_python.py", "tools")]:
        snippet, tier = snippet_of(ctx, snippet_id)
        assert execute.argv_of(snippet, tier, ctx) == [str(ctx.venvs / venv / "bin" / "python"), snippet.path.name]


def test_sandbox_environment_is_fresh_and_whitelisted(ctx, monkeypatch):
    monkeypatch.setenv("SNIPCHECK_TEST_SECRET", "do-not-leak")
    snippet, tier = snippet_of(ctx, "shell/sandbox-env.sh")
    execution = execute.run(snippet, tier, ctx)
    try:
        out = dict(row.split("=", 1) for row in execution.result.stdout.splitlines() if "=" in row)
        root = execution.box.root
        assert out["HOME"] == str(root / "home") and out["HOME"] != os.path.expanduser("~")
        assert out["KUBECONFIG"] == str(root / "kubeconfig")
        assert out["PWD"] == str(root / "work")
        assert out["GREETING"] == "annyeong"        # the tier's env
        assert out["SECRET"] == "unset"             # nothing outside the whitelist
        assert "hello.out" in execution.result.stdout and "checks.yaml" not in execution.result.stdout
    finally:
        execution.box.remove()


def test_an_existing_sandbox_and_extra_env_are_used(ctx):
    box = sandbox.create([BROKEN / "snippets" / "kfp"])
    snippet, tier = snippet_of(ctx, "shell/sandbox-env.sh")
    try:
        execution = execute.run(snippet, tier, ctx, box=box, extra_env={"SNIPCHECK_TEST_SECRET": "from the chain"})
        assert execution.box is box
        assert "SECRET=from the chain" in execution.result.stdout
        assert "missing-api.py" in execution.result.stdout and "sandbox-env.sh" in execution.result.stdout
    finally:
        box.remove()


def test_python_runs_in_its_runtime(ctx):
    snippet, tier = snippet_of(ctx, "kfp/compile_v2.py")
    execution = execute.run(snippet, tier, ctx)
    try:
        assert execution.result.exit_code == 0, execution.result.stderr
        assert (execution.box.workdir / "pipeline.yaml").is_file()
        assert execution.runtime == "kfp-v2"
    finally:
        execution.box.remove()


def test_a_background_process_does_not_survive(ctx):
    snippet, tier = snippet_of(ctx, "shell/background.sh")
    execution = execute.run(snippet, tier, ctx)
    execution.box.remove()
    assert execution.result.exit_code == 0
    assert not alive(int(execution.result.stdout.split()[0]))


@pytest.mark.parametrize("lang, name, stderr, line", [
    ("bash", "step.sh", "step.sh: line 7: KF_NAME: unbound variable\n", 7),
    ("bash", "step.sh", "other.sh: line 3: x\nstep.sh: line 2: y\nstep.sh: line 9: z\n", 9),
    ("bash", "step.sh", "curl: (6) Could not resolve host\n", 1),
    ("python", "p.py", 'Traceback (most recent call last):\n  File "sandbox/work/p.py", line 12, in <module>\n'
                       '    f()\n  File "sandbox/work/p.py", line 4, in f\n'
                       '  File "/venv/lib/kfp/dsl.py", line 99, in g\nAttributeError: nope\n', 4),
    ("python", "p.py", 'File "sandbox/work/notp.py", line 3\n', 1),
])
def test_failure_line(lang, name, stderr, line):
    snippet = manifest.Snippet(f"g/{name}", Path(name), "g", lang, {}, Path("checks.yaml"), 1)
    assert execute.failure_line(snippet, stderr) == line
