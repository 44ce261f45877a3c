"""Run one command in its own process group, with a deadline that kills the whole group.

`sh`'s own _timeout kills only the direct child, so a snippet's grandchildren (a backgrounded kubectl,
a pipeline stage) would survive; here the child leads a new session and the group is killed instead.

Ctrl+C and SIGTERM are held while a command starts, runs and is reaped, and acted on at one safe point,
once the group is gone. A KeyboardInterrupt raised inside sh's frames hung the session: raised in the
spawn it left a group nobody killed, raised in is_alive it could leave sh's wait lock taken, and pytest's
report of the interrupt reprs the frames' arguments, where sh's RunningCommand.__repr__ waits for its
process (for ever, in both cases).

A snippet step also runs confined (`confine`, see `confinement`): in a PID namespace when the machine
allows one, so nothing it starts outlives it (the namespace ends with its first process); where none is
allowed, or for a step that must leave a process running, with a marker variable in its environment, so a
process that escaped (setsid, a double fork) is found, named and killed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sh

ALL_EXIT_CODES = list(range(-64, 256))  # every outcome is data for the caller, never an sh exception
HELD = (signal.SIGINT, signal.SIGTERM)
MARKER = "SNIPCHECK_STEP"  # the variable every confined step and its descendants carry
NOT_FOUND = 127  # a shell's exit code for a command it cannot find
# PID namespace wrappers, tried in order: the rootful form, then the one an unprivileged user may use.
NAMESPACES = (
    ["unshare", "--pid", "--fork", "--kill-child", "--mount-proc"],
    ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child"],
)
NO_NAMESPACE_ENV = "SNIPCHECK_NO_PID_NAMESPACE"  # set (to anything) to force the leftover-process fallback
MARKER_WHY = "no PID namespace is allowed here: an inert marker that finds the processes a step leaves running"


@dataclass
class RunResult:
    argv: list[str]
    exit_code: int
    stdout: str
    stderr: str
    duration: float
    timed_out: bool = False
    pgid: int | None = None
    missing_tool: str | None = None  # the command could not start: this tool is not on PATH
    leftovers: list[str] = field(default_factory=list)  # escaped processes found (and killed) after it

    @property
    def command(self) -> str:
        return " ".join(self.argv)


def kill_group(pgid: int | None) -> None:
    """SIGKILL a whole process group; quiet when it is already gone."""
    if pgid is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


class _Held:
    """A signal handler that only records, so the signal is acted on where it is safe."""

    def __init__(self) -> None:
        self.received: list[int] = []

    def __call__(self, signum, frame) -> None:
        self.received.append(signum)


@contextlib.contextmanager
def signals_held():
    """Hold Ctrl+C and SIGTERM for the block; then hand the first one received to the previous handler.

    Yields the recorder (its .received says whether to stop early), or None when an enclosing block
    already holds them (that block delivers) or when not on the main thread (signals go to the main one).
    """
    if threading.current_thread() is not threading.main_thread() or isinstance(signal.getsignal(signal.SIGINT), _Held):
        yield None
        return
    held = _Held()
    previous = {sig: signal.getsignal(sig) for sig in HELD}
    for sig in HELD:
        signal.signal(sig, held)
    try:
        yield held
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if held.received:
            _deliver(held.received[0], previous[held.received[0]])


def _deliver(signum: int, handler) -> None:
    if callable(handler):
        handler(signum, None)  # Python's default_int_handler, or the plugin's SIGTERM handler
    elif handler == signal.SIG_DFL:
        signal.raise_signal(signum)


def confinement(env: dict | None = None) -> list[str]:
    """The PID namespace prefix this machine allows (probed; callers cache it per session), else []."""
    if (env if env is not None else os.environ).get(NO_NAMESPACE_ENV):
        return []
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    for prefix in NAMESPACES:
        if prefix[1] == "--pid" and os.geteuid() != 0:
            continue
        try:
            done = subprocess.run([unshare, *prefix[1:], "true"], capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return [unshare, *prefix[1:]]
    return []


def adds(confine: list[str] | None) -> dict[str, str]:
    """What run() adds to the environment of a command run with this confinement, with why (for the report)."""
    return {MARKER: MARKER_WHY} if confine == [] else {}


def run(
    argv: list[str],
    *,
    cwd: Path,
    env: dict,
    timeout: float,
    confine: list[str] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> RunResult:
    """Run argv to completion or to its deadline.

    Whatever the command left behind in its process group is killed too, so a finished step never leaves a
    process alive (a port-forward a reader leaves running is a job of the reader's session, reader/fed.py).
    confine (a snippet step): the prefix from confinement() ([] when none is allowed) wraps argv, and
    processes that carry the step's marker after it ended are killed and named in result.leftovers.
    A tool that is not on env's PATH is a result with exit code 127, never an exception.
    on_start: called with the process group's id once it runs (a caller in another thread can then kill it).
    """
    started = time.monotonic()
    found = shutil.which(argv[0], path=env.get("PATH", os.environ.get("PATH", os.defpath)))
    if found is None:
        return RunResult(
            list(argv), NOT_FOUND, "", f"{argv[0]}: command not found (not on PATH)", 0.0, missing_tool=argv[0]
        )
    marker = None
    command = list(argv)
    if confine is not None:
        command = [*confine, found, *argv[1:]]
        found = command[0]  # confinement() gives the wrapper's absolute path
        if not confine:  # a PID namespace ends all it holds with its first process; elsewhere a marker finds escapes
            marker = secrets.token_hex(8)
            env = {**env, MARKER: marker}
    with signals_held() as held:
        process = sh.Command(found)(
            *command[1:],
            _bg=True,
            _bg_exc=False,
            _new_session=True,
            _tty_out=False,
            _ok_code=ALL_EXIT_CODES,
            _cwd=str(cwd),
            _env=env,
            _decode_errors="replace",
            _in="",
        )
        pgid = process.pid  # the child leads its own session, so its pid is the group id
        if on_start is not None:
            on_start(pgid)
        timed_out = _wait(process.process, started + timeout, held)
        kill_group(pgid)
        # Escaped processes go before the join: one holding the output pipe would stall sh's readers.
        leftovers = [] if marker is None else kill_marked(marker, pgid)
        # Joining after the group is gone keeps fast output from coming back empty (sh's readers drain it).
        exit_code = process.process.wait()
        return RunResult(
            list(argv),
            exit_code,
            _text(process.process.stdout),
            _text(process.process.stderr),
            time.monotonic() - started,
            timed_out,
            pgid,
            leftovers=leftovers,
        )


def _wait(oproc, deadline: float, held: _Held | None) -> bool:
    """Poll until the leader exits, a held signal arrives or the deadline passes; whether it timed out."""
    pause = 0.001
    while oproc.is_alive()[0]:
        if held and held.received:
            return False
        if time.monotonic() >= deadline:
            return True
        time.sleep(pause)
        pause = min(pause * 2, 0.05)  # fast commands return at once; long ones cost a poll per 50 ms
    return False


def marked(marker: str) -> dict[int, tuple[int, str]]:
    """Live processes whose environment carries MARKER=marker: pid -> (process group, command line)."""
    needle = f"{MARKER}={marker}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            group = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2])
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, ValueError, IndexError):
            continue
        found[int(entry.name)] = (group, cmdline)
    return found


def kill_marked(marker: str, group: int | None = None) -> list[str]:
    """SIGKILL every live process carrying the marker; 'PID command' of each that left the step's
    process group (group: those still in it were killed with it and are only not gone yet).

    Scans again until none is left: a SIGKILLed process is gone only once it is scheduled, and one caught
    mid-fork may have a marked child the first scan did not see."""
    named: dict[int, str] = {}
    for _ in range(100):
        found = marked(marker)
        if not found:
            break
        for pid, (pgrp, cmdline) in found.items():
            if pgrp != group:
                named.setdefault(pid, cmdline)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)
    return [f"{pid} {cmdline}" for pid, cmdline in sorted(named.items())]


def _text(data) -> str:
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else (data or "")
