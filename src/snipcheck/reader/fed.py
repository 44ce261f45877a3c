"""The reader's one bash session fed a step at a time: the walkthrough's driver, its step texts and its
clean environment, but the harness sends each step when the one before it has been checked.

The session runs in a thread (runner.run: its own process group, confined, a deadline); the harness writes
one line per step into a FIFO the driver reads (driver.FEED_LOOP), then waits for the step's N.done, or for
the session's end (the step failed, or its watchdog killed the session). `close` sends `exit 0` and joins.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import threading
import time
from pathlib import Path

from .. import runner
from . import cleanroom, driver, ready, steplog

POLL = 0.05  # seconds between looks at the log folder
CLOSE_WAIT = 60.0  # seconds the session gets to exit once told to
STOP_GRACE = 10  # whole seconds a job gets to end after Ctrl+C before it is killed and the step fails


class SessionEnded(Exception):
    """The session is over (a step failed): nothing more can be sent to it."""


class FedSession:
    def __init__(
        self, room: cleanroom.Room, *, env: dict, deadline: float, confine: list[str] | None, name: str = "session"
    ):
        """A session whose files are <name>.sh (the driver), <name>.ctl (its FIFO) and log folder <name>/."""
        self.room = room
        self.log = room.root / name
        self.log.mkdir()
        ctl = room.root / f"{name}.ctl"
        os.mkfifo(ctl)
        # Held open for reading and writing, so a write never blocks or fails, even once bash is gone.
        self._ctl = os.open(ctl, os.O_RDWR)
        script = room.root / f"{name}.sh"
        script.write_text(driver.feed_script(log=self.log, work=room.work, ctl=ctl), encoding="utf-8")
        self.result: runner.RunResult | None = None
        self.pgid: int | None = None
        self.deadline = deadline
        self.count = 0
        self.copies: dict[int, Path] = {}  # step number -> its file in steps/N/
        argv = [cleanroom.bash(), "--noprofile", "--norc", str(script)]
        self._thread = threading.Thread(
            target=self._run, args=(argv, env, confine), name=f"reader session {room.root.name}", daemon=True
        )
        self._thread.start()

    def _run(self, argv, env, confine) -> None:
        self.result = runner.run(
            argv, cwd=self.room.work, env=env, timeout=self.deadline, confine=confine, on_start=self._started
        )

    def _started(self, pgid: int) -> None:
        self.pgid = pgid

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def step(
        self, kind: str, source: Path, name: str | None, timeout: float, background=None
    ) -> tuple[int, steplog.StepRun]:
        """Run the next step (its file copied into steps/N/); (N, what it did) once it completed or ended the
        session. Raises SessionEnded when an earlier step already ended it.

        background (a manifest Background): the step leaves something running that must answer its ready probe
        (a `job`, or a script that starts a forward with `&`). The address must be free before the step, and
        answer after it; else the step's `problem` says why. Unless background.keep, a job is then stopped, as
        the reader's Ctrl+C would."""
        if not self.alive:
            raise SessionEnded(self._ended())
        self.count += 1
        n = self.count
        folder = self.room.steps / str(n)
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / source.name
        copy.write_bytes(source.read_bytes())
        self.copies[n] = copy
        if background is not None and ready.probe_once(background.ready) is None:
            taken = f"something already answers at {ready.address_of(background.ready)} before this step started"
            return n, dataclasses.replace(self.read(n), problem=f"{taken}; stop it and run again")
        text = folder / "step.sh"
        text.write_text(driver.step_text(n, kind, copy, name, timeout), encoding="utf-8")
        self._say(f"source {shlex.quote(str(text))}")
        while self.alive and not (self.log / f"{n}.done").exists():
            time.sleep(POLL)
        done = self.read(n)
        if background is not None and done.done:
            problem = self._wait_ready(n, background)
            done = dataclasses.replace(self.read(n), problem=problem) if problem else self.read(n)
        return n, done

    def read(self, n: int) -> steplog.StepRun:
        """What step n did, as its files say now."""
        timed_out = bool(self.result and self.result.timed_out)
        return steplog.read(self.log, n, self.copies[n], session_timed_out=timed_out, deadline=self.deadline)

    def _wait_ready(self, n: int, spec) -> str | None:
        """None once what step n left running answers its probe; else why it did not."""
        try:
            ready.wait_ready(Job(self, n), spec.ready, spec.deadline)
        except ready.NotReady as exc:
            return f"the background step never became ready: {exc}"
        if not spec.keep and (self.log / f"{n}.pid").exists():
            return self.end_job(n)
        return None

    def end_job(self, n: int) -> str | None:
        """Stop the job step n started as the reader's Ctrl+C does (SIGINT to its process group, so a preview
        server removes its temporary site) and wait until it has ended, as the reader waits for the prompt.
        None once it ended; why not, when it still ran STOP_GRACE seconds later (it was killed then)."""
        if not self.alive:
            return None
        self._say(f"_wt_end_job {n} {STOP_GRACE}")
        while self.alive and not (self.log / f"{n}.stopped").exists():
            time.sleep(POLL)
        if (self.log / f"{n}.stuck").exists():
            return (
                f"it still ran {STOP_GRACE} s after Ctrl+C (SIGINT to its process group) and was killed;"
                " a reader's terminal would be stuck here"
            )
        return None

    def close(self) -> runner.RunResult | None:
        """End the session (what it still runs ends with it) and wait for it; killed when it does not exit
        (a step still running after Ctrl+C)."""
        if self.alive:
            self._say("exit 0")
            self._thread.join(CLOSE_WAIT if self._between_steps() else 0.5)
        if self.alive:
            runner.kill_group(self.pgid)  # the runner then reaps it and kills what carries its marker
            self._thread.join(CLOSE_WAIT)
        if self._ctl >= 0:
            os.close(self._ctl)
            self._ctl = -1
        return self.result

    def _between_steps(self) -> bool:
        return self.count == 0 or (self.log / f"{self.count}.done").exists()

    def _say(self, line: str) -> None:
        os.write(self._ctl, (line + "\n").encode())

    def _ended(self) -> str:
        code = self.result.exit_code if self.result else None
        return f"the session ended (exit code {code}) at step {self.count}"


class Job:
    """What step n left running, as ready.wait_ready watches it: a job (its own exit status appears as N.jobrc),
    or what a step that exited left behind, which lives as long as the session."""

    def __init__(self, session: FedSession, n: int):
        self.session, self.n = session, n
        self.exit_code: int | None = None

    def running(self) -> bool:
        rc = self.session.log / f"{self.n}.jobrc"
        if rc.exists():
            text = rc.read_text().strip()
            self.exit_code = int(text) if text.lstrip("-").isdigit() else -1
            return False
        if not self.session.alive:
            result = self.session.result
            self.exit_code = result.exit_code if result else -1
            return False
        return True
