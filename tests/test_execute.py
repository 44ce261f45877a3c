"""Running one snippet: its runtime, its sandbox, its environment, and no process left behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from snipcheck import execute, manifest, runner, sandbox
from snipcheck.context import Context, Options
from snipcheck.errors import SnippetFailure
from snipcheck.local import tier as local_tier
from snipcheck.report import Report
from snipcheck.session import Session
from snipcheck.structure import Layout
from support.processes import alive

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


def test_each_runtime_has_its_command(ctx):
    shell, tier = snippet_of(ctx, "shell/hello.sh")
    assert execute.argv_of(shell, tier, ctx) == ["bash", "-euo", "pipefail", "hello.sh"]
    for snippet_id, venv in [
        ("kfp/compile_v1.py", "kfp-v1"),
        ("kfp/compile_v2.py", "kfp-v2"),
        ("kfp/tools_python.py", "tools"),
    ]:
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
        assert out["GREETING"] == "annyeong"  # the tier's env
        assert out["SECRET"] == "unset"  # nothing outside the whitelist
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


def live_in(box: sandbox.Sandbox) -> list[str]:
    """Live processes started with this sandbox's HOME (every process a snippet starts has it)."""
    needle = f"HOME={box.home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and alive(int(entry.name)):
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(entry.name + " " + (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                continue
    return found


@pytest.fixture(params=["namespace", "no namespace"])
def confinement(request, ctx, monkeypatch):
    """Each containment this machine has: a PID namespace if allowed, and the forced leftover-check fallback."""
    if request.param == "no namespace":
        monkeypatch.setenv(runner.NO_NAMESPACE_ENV, "1")
    prefix = execute.confinement(ctx)
    if request.param == "namespace" and not prefix:
        pytest.skip("this machine allows no PID namespace (unshare refused both forms)")
    return prefix


def test_a_background_process_does_not_survive(ctx, confinement):
    snippet, tier = snippet_of(ctx, "shell/background.sh")
    execution = execute.run(snippet, tier, ctx)
    try:
        assert execution.result.exit_code == 0 and execution.result.leftovers == []
        assert live_in(execution.box) == []
    finally:
        execution.box.remove()


def broken(ctx: Context, snippet_id: str):
    snippet = manifest.load(BROKEN / "snippets").snippets[snippet_id]
    return snippet, snippet.tier("local")


def test_a_setsid_process_never_outlives_its_step(ctx, confinement):
    snippet, tier = broken(ctx, "shell/escapes.sh")
    box = sandbox.create([snippet.path.parent])
    try:
        if confinement:  # the namespace ends it with the step: nothing to report
            execution = execute.run(snippet, tier, ctx, box=box)
            assert execution.result.exit_code == 0 and execution.result.leftovers == []
        else:  # no namespace: found by its marker, killed, and the step fails naming it
            with pytest.raises(execute.StepProblem) as caught:
                execute.run(snippet, tier, ctx, box=box)
            message = str(caught.value)
            assert message.startswith("left 1 process(es) running after it ended (killed now): ")
            assert message.endswith("sleep 1000") and "\n" not in message
        assert live_in(box) == []
    finally:
        box.remove()


def test_a_tool_not_on_the_snippets_path_is_one_line_naming_it(ctx):
    snippet, tier = broken(ctx, "shell/tool-not-on-path.sh")
    with pytest.raises(execute.StepProblem) as caught:
        execute.run(snippet, tier, ctx)
    assert str(caught.value) == "could not start: bash not found on the snippet's PATH (exit code 127)"
    assert [p for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith("snipcheck-")] == []


@pytest.mark.parametrize(
    "lang, name, stderr, line",
    [
        ("bash", "step.sh", "step.sh: line 7: KF_NAME: unbound variable\n", 7),
        ("bash", "step.sh", "other.sh: line 3: x\nstep.sh: line 2: y\nstep.sh: line 9: z\n", 9),
        ("bash", "step.sh", "curl: (6) Could not resolve host\n", 1),
        (
            "python",
            "p.py",
            'Traceback (most recent call last):\n  File "sandbox/work/p.py", line 12, in <module>\n'
            '    f()\n  File "sandbox/work/p.py", line 4, in f\n'
            '  File "/venv/lib/kfp/dsl.py", line 99, in g\nAttributeError: nope\n',
            4,
        ),
        ("python", "p.py", 'File "sandbox/work/notp.py", line 3\n', 1),
    ],
)
def test_failure_line(lang, name, stderr, line):
    snippet = manifest.Snippet(f"g/{name}", Path(name), "g", lang, {}, Path("checks.yaml"), 1)
    assert execute.failure_line(snippet, stderr) == line


def test_the_local_tier_names_the_snippet_and_the_missing_tool(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    layout = Layout(BROKEN)
    ctx = Context(
        layout, manifest.load(layout.snippets_dir), Options(report=tmp_path / "r.json"), Report(tmp_path / "r.json")
    )
    snippet = ctx.manifest.snippets["shell/tool-not-on-path.sh"]
    with pytest.raises(SnippetFailure) as caught:
        local_tier.run(snippet, snippet.tier("local"), ctx)
    assert caught.value.render().splitlines()[0] == (
        "snippets/shell/tool-not-on-path.sh:1: local tier: could not start: bash not found on the snippet's "
        "PATH (exit code 127)"
    )


def test_a_sudo_step_never_runs_in_a_user_namespace():
    # sudo cannot become root inside a user namespace, so such a step gets the marker fallback instead.
    class Ctx:
        session = Session()

    ctx = Ctx()
    ctx.session.state_of("confinement", lambda: ["unshare", "--user", "--map-root-user", "--pid", "--fork"])
    sudo = manifest.Tier("cluster", True, needs=("sudo",))
    plain = manifest.Tier("cluster", True)
    assert execute.confinement_for(sudo, ctx) == []
    assert execute.confinement_for(plain, ctx)[:2] == ["unshare", "--user"]
