"""Looking at live processes from the tests: what a step left running, found through /proc."""

from __future__ import annotations

import os
import time
from pathlib import Path


def alive(pid: int) -> bool:
    """True for a live process; a zombie (dead, not yet reaped) counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def started_with_arg(arg: str, within: float = 10.0) -> list[int]:
    """live_with_arg once a process holding arg has appeared: a child forked in the background may not have
    exec'd its command yet when its parent reports its PID and exits."""
    deadline = time.monotonic() + within
    while not (found := live_with_arg(arg)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return found


def live_with_arg(arg: str) -> list[int]:
    """Live processes whose command line holds arg as one word (each test passes a unique one)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if arg.encode() in cmdline and alive(int(entry.name)):
                found.append(int(entry.name))
    return found
