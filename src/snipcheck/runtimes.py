"""The SDK runtimes (.venvs/kfp-v1, .venvs/kfp-v2) are made the first time an item of the run needs one.

scripts/test makes only the tools environment before pytest starts: most focused runs (`-k kind-config`, a
`--changed` run after a shell edit) check no kfp snippet, and making both runtimes with their bytecode was
6 of the 13 seconds of a fresh clone's first such run. scripts/test names its environment script and its
interpreter (MAKER, PYTHON); the runtime is made by that script's ensure_venv, from the same lock, under the
same flock as every environment, so workers that ask at once make it once. Only the environments folder
scripts/test named is ever built into: an engine pointed at another folder (a test's) uses what is there.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from . import runner
from .errors import display

SDK_RUNTIMES = ("kfp-v1", "kfp-v2")
MAKER = "SNIPCHECK_RUNTIME_MAKER"  # scripts/_venv.sh of the checkout whose scripts/test started the run
PYTHON = "SNIPCHECK_RUNTIME_PYTHON"  # the interpreter scripts/test builds on (before its tools venv led PATH)
MAKE_TIMEOUT = 900  # a cold install of kfp and its dependencies, on a slow network


MADE: list[str] = []  # a note for each runtime this process built; the plugin prints them with the session's


class NotMade(Exception):
    """The runtime could not be made; the message is the environment script's own explanation."""


def ensure(ctx, runtime: str) -> None:
    """Make the runtime now if scripts/test asked for runtimes on demand and it is missing or out of date."""
    ensure_in(ctx.venvs, runtime)


def ensure_in(venvs: Path, runtime: str) -> None:
    """The same for an environments folder: only the one scripts/test named, only the SDK runtimes."""
    maker = os.environ.get(MAKER)
    named = os.environ.get("SNIPCHECK_VENVS")
    if runtime not in SDK_RUNTIMES or not maker or not named or Path(named).resolve() != venvs.resolve():
        return
    failure = _make(maker, str(venvs.resolve()), runtime)
    if failure:
        raise NotMade(failure)


@functools.cache
def _make(maker: str, venvs: str, runtime: str) -> str | None:
    """Why the runtime could not be made, or None; asked once per process and runtime."""
    env = dict(os.environ, SNIPCHECK_VENVS=venvs)
    if os.environ.get(PYTHON):
        env["PYTHON"] = os.environ[PYTHON]
    # $0 is the script's name in _venv.sh's messages: they read as scripts/test's own.
    argv = ["bash", "-c", '. "$1" && ensure_venv "$2"', "test", maker, runtime]
    result = runner.run(argv, cwd=Path(maker).parent, env=env, timeout=MAKE_TIMEOUT)
    where = f"{display(venvs)}/{runtime}"  # the link scripts/test reads, not the folder it points to
    if result.timed_out:
        return f"making {where} took longer than {MAKE_TIMEOUT} s and was stopped"
    if result.exit_code != 0:
        # The script's explanation, without its progress line.
        lines = [line for line in result.stderr.splitlines() if not line.startswith("setting up ")]
        said = "\n".join(lines).strip() or result.stdout.strip() or f"exit code {result.exit_code}"
        return f"{where} could not be made: {said}"
    if "setting up" in result.stderr:
        MADE.append(f"made {where} on first use ({result.duration:.1f} s)")
    return None
