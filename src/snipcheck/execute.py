"""Run one snippet in a sandbox with its runtime; shared by the local tier and the cluster chain steps.

A shell snippet runs as `bash -euo pipefail <file>`, a Python snippet with the interpreter of its runtime
(`kfp-v1`, `kfp-v2`: .venvs/<runtime>; `python`: the tools environment). The snippet runs from its copy in
the sandbox's working folder, under its own file name, so the file names and lines in its errors are the
snippet's. Nothing here is local-only: a caller may hand in an existing sandbox and extra environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import needs, runner, runtimes, sandbox
from .errors import display
from .manifest import Snippet, Tier

VENV_OF_RUNTIME = {"python": "tools"}  # runtimes whose environment folder has another name


class RuntimeMissing(Exception):
    """The runtime's interpreter is not there, or could not be made (snipcheck.runtimes)."""


class StepProblem(RuntimeMissing):
    """The run itself went wrong, whatever the snippet printed: a tool not found, processes left running.

    A RuntimeMissing, so every tier reports it as it reports a missing runtime: one line at the snippet."""


@dataclass
class Execution:
    result: runner.RunResult
    box: sandbox.Sandbox
    runtime: str
    shown_command: str  # the command as a person reads it (paths relative where possible)

    @property
    def timed_out(self) -> bool:
        return self.result.timed_out


def interpreter(ctx, runtime: str) -> Path:
    return ctx.python_of(VENV_OF_RUNTIME.get(runtime, runtime))


def runtime_of(snippet: Snippet, tier: Tier) -> str:
    return tier.runtime or ("bash" if snippet.lang == "bash" else "python")


def argv_of(snippet: Snippet, tier: Tier, ctx) -> list[str]:
    """The command that runs the snippet's copy (by file name, from the working folder)."""
    runtime = runtime_of(snippet, tier)
    if snippet.lang == "bash":
        return ["bash", "-euo", "pipefail", snippet.path.name, *tier.args]
    if snippet.lang == "python":
        try:
            runtimes.ensure(ctx, runtime)
        except runtimes.NotMade as exc:
            raise RuntimeMissing(str(exc)) from None
        python = interpreter(ctx, runtime)
        if not python.exists():
            raise RuntimeMissing(
                f"the {runtime} environment is missing ({display(python)} does not exist); "
                "scripts/test makes it on first use"
            )
        return [str(python), snippet.path.name, *tier.args]
    raise RuntimeMissing(f"a {snippet.lang} snippet cannot be run, only checked statically")


def env_of(snippet: Snippet, tier: Tier, ctx, box: sandbox.Sandbox, extra_env: dict | None) -> dict:
    """The sandbox's whitelisted environment, the runtime's bin folder first on PATH, then extra and tier env."""
    env = box.env(extra_env)
    if snippet.lang == "python":
        bin_dir = interpreter(ctx, runtime_of(snippet, tier)).parent
        env.update(PATH=f"{bin_dir}:{env['PATH']}", VIRTUAL_ENV=str(bin_dir.parent))
    env.update(tier.env)
    return env


def run(
    snippet: Snippet,
    tier: Tier,
    ctx,
    *,
    box: sandbox.Sandbox | None = None,
    extra_env: dict | None = None,
) -> Execution:
    """Run the snippet once; a new sandbox (a copy of its group folder) unless one is handed in.

    Raises StepProblem when the command could not start or left processes behind (a sandbox made here
    is removed first: there is nothing of the snippet's in it worth keeping)."""
    argv = argv_of(snippet, tier, ctx)
    own_box = box is None
    box = box or sandbox.create([snippet.path.parent])
    if not (box.workdir / snippet.path.name).is_file():
        (box.workdir / snippet.path.name).write_bytes(snippet.path.read_bytes())
    result = runner.run(
        argv,
        cwd=box.workdir,
        env=env_of(snippet, tier, ctx, box, extra_env),
        timeout=tier.timeout,
        confine=confinement_for(tier, ctx),
    )
    shown = " ".join([display(argv[0]) if "/" in argv[0] else argv[0], *argv[1:]])
    problem = problem_of(result)
    if problem:
        if own_box:
            box.remove()
        raise StepProblem(problem)
    return Execution(result, box, runtime_of(snippet, tier), shown)


def confinement(ctx) -> list[str]:
    """The PID namespace wrapper for snippet steps, probed once per session ([]: none is allowed here)."""
    return ctx.session.state_of("confinement", runner.confinement)


def confinement_for(tier: Tier, ctx) -> list[str]:
    """A step that needs sudo never runs in a user namespace: sudo cannot gain root there. It gets the
    marker fallback instead, which still finds and kills what escapes."""
    prefix = confinement(ctx)
    return [] if "sudo" in tier.needs and "--user" in prefix else prefix


def problem_of(result: runner.RunResult) -> str | None:
    """What the harness itself found wrong with a run, beyond the snippet's expectations, in one line."""
    if result.missing_tool:
        return f"could not start: {result.missing_tool} not found on the snippet's PATH (exit code 127)"
    if result.leftovers and not result.timed_out:  # a timeout is reported as such; its group is gone
        return f"left {len(result.leftovers)} process(es) running after it ended (killed now): " + "; ".join(
            result.leftovers
        )
    return None


def failure_line(snippet: Snippet, stderr: str) -> int:
    """The snippet's line an error names: bash's '<file>: line N:', Python's last frame in the file; else 1."""
    name = re.escape(snippet.path.name)
    if snippet.lang == "bash":
        pattern = rf"(?:^|/|\s){name}: line (\d+):"
    else:
        pattern = rf'File "(?:[^"]*/)?{name}", line (\d+)'
    hits = re.findall(pattern, stderr, re.MULTILINE)
    return int(hits[-1]) if hits else 1


VERSIONS_PY = (
    "import sys, importlib.metadata as m\n"
    "print(sys.version.split()[0])\n"
    "try:\n    print(m.version('kfp'))\nexcept m.PackageNotFoundError:\n    print('')\n"
)


def versions(ctx, runtime: str) -> dict:
    """The runtime's versions for the report (asked once per interpreter): bash, or python and kfp."""
    if runtime == "bash":
        first = needs.output_of(("bash", "--version")).splitlines()[:1]
        match = re.search(r"version (\S+)", first[0]) if first else None
        return {"bash": match.group(1) if match else None}
    python = interpreter(ctx, runtime)
    rows = needs.output_of((str(python), "-c", VERSIONS_PY)).splitlines() if python.exists() else []
    rows += [""] * (2 - len(rows))
    return {"python": rows[0] or None, "kfp": rows[1] or None}
