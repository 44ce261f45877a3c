"""Running one attempt: the driver in the reader's environment (runner.run: own process group, deadline),
then what each step did, read back from the driver's log folder."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import runner
from . import cleanroom, driver

SESSION_MARGIN = 30  # seconds over the sum of the steps' timeouts before the runner kills the session


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


@dataclass
class AttemptRun:
    number: int
    steps: list[StepRun]
    duration: float
    session: runner.RunResult
    work: Path  # the working folder the session started in


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else None


def prepare(room: cleanroom.Room, steps) -> list[tuple[str, Path, str | None, float]]:
    """Copy each step's snippet into steps/N/<its file name>, so errors name the snippet's own file."""
    prepared = []
    for n, (step, snippet) in enumerate(steps, 1):
        folder = room.steps / str(n)
        folder.mkdir(exist_ok=True)
        copy = folder / snippet.path.name
        shutil.copyfile(snippet.path, copy)
        prepared.append((step.kind, copy, step.name, snippet.walkthrough.timeout))
    return prepared


def run(room: cleanroom.Room, prepared, number: int, confine: list[str] | None = None) -> AttemptRun:
    log = room.log(number)
    shutil.rmtree(log, ignore_errors=True)
    log.mkdir()
    script = room.root / f"session-{number}.sh"
    script.write_text(driver.script(prepared, log=log, work=room.work), encoding="utf-8")
    deadline = sum(timeout for *_, timeout in prepared) + SESSION_MARGIN
    result = runner.run(
        [cleanroom.bash(), "--noprofile", "--norc", str(script)],
        cwd=room.work,
        env=room.env(),
        timeout=deadline,
        confine=confine,  # nothing the reader's session starts outlives it
    )
    steps = []
    for n in range(1, len(prepared) + 1):
        out, err = _read(log / f"{n}.out"), _read(log / f"{n}.err")
        if err:  # bash names the step's copy; the reader knows it by its own name
            err = err.replace(f"{prepared[n - 1][1].parent}/", "")
        done = (log / f"{n}.done").exists()
        rc, timeout, pwd = _read(log / f"{n}.rc"), _read(log / f"{n}.timeout"), _read(log / f"{n}.pwd")
        code = 0 if done else (int(rc) if rc and rc.strip().lstrip("-").isdigit() else None)
        if not done and code is None and out is not None and result.timed_out:
            timeout = str(deadline)  # the whole session's deadline struck during this step
        steps.append(
            StepRun(
                out is not None,
                done,
                code,
                float(timeout) if timeout else None,
                out or "",
                err or "",
                Path(pwd.strip()) if pwd else None,
                _seconds(log, n),
            )
        )
    return AttemptRun(number, steps, result.duration, result, room.work)


def _seconds(log: Path, n: int) -> float:
    """How long step n took (bash's EPOCHREALTIME at its start and end; 0 when either is missing)."""
    try:
        return max(0.0, _number(log / f"{n}.t1") - _number(log / f"{n}.t0"))
    except ValueError:
        return 0.0


def _number(path: Path) -> float:
    return float((_read(path) or "").strip().replace(",", "."))  # a locale may write 1,5
