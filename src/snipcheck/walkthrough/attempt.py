"""Running one attempt: the reader's bash session (reader/fed.py, the same session a cluster chain runs in) fed
the page's steps in order, then what each step did, read back from the session's log folder.

A step the page has the reader leave running in a new terminal (`walkthrough.background`, a preview server)
runs as a job of the session and is probed until it answers (reader/fed.py); a step that never answers, or
whose address something else already held, ends the attempt there, with the probe's word as its problem."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import runner
from ..manifest import Background
from ..reader import cleanroom, fed, steplog
from ..reader.steplog import StepRun

SESSION_MARGIN = 30  # seconds over the sum of the steps' timeouts before the runner kills the session


@dataclass
class AttemptRun:
    number: int
    steps: list[StepRun]
    duration: float
    session: runner.RunResult
    work: Path  # the working folder the session started in


@dataclass(frozen=True)
class Prepared:
    kind: str  # shell, file, or job / hold (a shell step the reader leaves running: reader/driver.py)
    source: Path  # the snippet's file (the session runs its copy in steps/N/, so errors name its own name)
    name: str | None  # the name a file step is saved under
    timeout: float
    background: Background | None = None  # what a job step's ready probe waits for


def prepare(steps) -> list[Prepared]:
    """Each step as the session runs it (the session copies its file into steps/N/)."""
    prepared = []
    for step, snippet in steps:
        check = snippet.walkthrough
        kind = check.background.step_kind if step.kind == "shell" and check.background else step.kind
        prepared.append(Prepared(kind, snippet.path, step.name, check.timeout, check.background))
    return prepared


def run(room: cleanroom.Room, prepared: list[Prepared], number: int, confine: list[str] | None = None) -> AttemptRun:
    name = f"log-{number}"
    shutil.rmtree(room.root / name, ignore_errors=True)
    for leftover in (room.root / f"{name}.ctl", room.root / f"{name}.sh"):
        leftover.unlink(missing_ok=True)
    deadline = sum(p.timeout + (p.background.deadline if p.background else 0) for p in prepared) + SESSION_MARGIN
    session = fed.FedSession(room, env=room.env(), deadline=deadline, confine=confine, name=name)
    steps: list[StepRun] = []
    try:
        for step in prepared:
            try:
                _, done = session.step(step.kind, step.source, step.name, step.timeout, step.background)
            except fed.SessionEnded:
                break
            steps.append(done)
            if not done.done or done.problem:
                break
    finally:
        result = session.close()
    fed_count = len(steps)
    steps += [
        steplog.read(session.log, n, room.steps / str(n) / p.source.name)  # never reached
        for n, p in enumerate(prepared[fed_count:], fed_count + 1)
    ]
    assert result is not None  # close() joins the session's thread, which sets it
    return AttemptRun(number, steps, result.duration, result, room.work)
