"""Run one command in its own process group, with a deadline that kills the whole group.

`sh`'s own _timeout kills only the direct child, so a snippet's grandchildren (a backgrounded kubectl,
a pipeline stage) would survive; here the child leads a new session and the group is killed instead.
"""
from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import sh

ALL_EXIT_CODES = list(range(-64, 256))   # every outcome is data for the caller, never an sh exception


@dataclass
class RunResult:
    argv: list[str]
    exit_code: int
    stdout: str
    stderr: str
    duration: float
    timed_out: bool = False
    pgid: int | None = None

    @property
    def command(self) -> str:
        return " ".join(self.argv)


def kill_group(pgid: int | None) -> None:
    """SIGKILL a whole process group; quiet when it is already gone."""
    if pgid is None:
        return
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run(argv: list[str], *, cwd: Path, env: dict, timeout: float, leave_running: bool = False) -> RunResult:
    """Run argv to completion or to its deadline.

    Unless leave_running, whatever the command left behind in its process group is killed too, so a
    finished step never leaves a process alive. A caller that keeps a background process (a
    port-forward started with `&`) passes leave_running=True and owns result.pgid from then on.
    """
    started = time.monotonic()
    # stdin is empty: a snippet or a tool that would wait for a terminal gets end-of-file instead.
    process = sh.Command(argv[0])(*argv[1:], _bg=True, _bg_exc=False, _new_session=True, _tty_out=False,
                                  _ok_code=ALL_EXIT_CODES, _cwd=str(cwd), _env=env, _decode_errors="replace",
                                  _in="")
    pgid = process.pid          # the child leads its own session, so its pid is the group id
    timed_out = False
    try:
        process.wait(timeout=timeout)
    except sh.TimeoutException:
        timed_out = True
        kill_group(pgid)
        process.wait()
    except BaseException:        # Ctrl+C or SIGTERM while waiting: never leave the group behind
        kill_group(pgid)
        raise
    if not leave_running:
        kill_group(pgid)
    # wait(timeout=...) returns when the process exits, possibly before sh's readers have drained its
    # output; joining here (after the group is gone) keeps fast output from coming back empty.
    process.process.wait()
    return RunResult(list(argv), process.exit_code, _text(process.stdout), _text(process.stderr),
                     time.monotonic() - started, timed_out, pgid)


def _text(data) -> str:
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else (data or "")
