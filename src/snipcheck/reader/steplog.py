"""What one step of a reader's session did, read back from the files the driver leaves in its log folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class StepRun:
    ran: bool  # the session reached this step
    done: bool  # it completed (the session went on)
    exit_code: int | None  # its exit status when it ended the session (or 0 when done)
    timed_out: float | None  # its timeout in seconds when its deadline killed the session
    stdout: str
    stderr: str
    cwd: Path | None  # the session's folder after it
    duration: float = 0.0
    problem: str | None = None  # what the harness found wrong beyond the exit status (a job never ready)


def read(log: Path, n: int, copy: Path, *, session_timed_out: bool = False, deadline: float = 0.0) -> StepRun:
    """Step n as its files tell it; copy is the step's file, whose folder bash names in its errors."""
    out, err = _read(log / f"{n}.out"), _read(log / f"{n}.err")
    if err:  # bash names the step's copy; the reader knows it by its own name
        err = err.replace(f"{copy.parent}/", "")
    done = (log / f"{n}.done").exists()
    rc, timeout, pwd = _read(log / f"{n}.rc"), _read(log / f"{n}.timeout"), _read(log / f"{n}.pwd")
    code = 0 if done else (int(rc) if rc and rc.strip().lstrip("-").isdigit() else None)
    if not done and code is None and out is not None and session_timed_out:
        timeout = f"{deadline:g}"  # the whole session's deadline struck during this step
    return StepRun(
        out is not None,
        done,
        code,
        float(timeout) if timeout else None,
        out or "",
        err or "",
        Path(pwd.strip()) if pwd else None,
        _seconds(log, n),
    )


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else None


def _seconds(log: Path, n: int) -> float:
    """How long step n took (bash's EPOCHREALTIME at its start and end; 0 when either is missing)."""
    try:
        return max(0.0, _number(log / f"{n}.t1") - _number(log / f"{n}.t0"))
    except ValueError:
        return 0.0


def _number(path: Path) -> float:
    return float((_read(path) or "").strip().replace(",", "."))  # a locale may write 1,5
