"""Run a checking tool (bash -n, shellcheck, kubectl, kfp) with stdin from /dev/null and its output kept whole.

The output goes to files that are read after the exit: runner.run reads sh's buffers, which can still be
empty when a short-lived command has just been reaped (see the report of the static tier), and a linter
whose report went missing must never look like a clean pass.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from . import runner

REDIRECT = 'out="$1" err="$2"; shift 2; exec "$@" </dev/null >"$out" 2>"$err"'


def run(argv: list[str], *, cwd: Path, env: dict, timeout: float) -> runner.RunResult:
    with tempfile.TemporaryDirectory(prefix="snipcheck-tool-") as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        result = runner.run(["bash", "-c", REDIRECT, "toolrun", str(out), str(err), *argv],
                            cwd=cwd, env=env, timeout=timeout)
        result.argv = list(argv)
        result.stdout = _read(out)
        result.stderr = _read(err)
    return result


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
