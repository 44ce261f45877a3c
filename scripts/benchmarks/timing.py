"""Timing one command: its own process group, a deadline that kills the group, the output kept for the table."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENVS = Path(os.environ.get("SNIPCHECK_VENVS", ROOT / ".venvs"))
SUMMARY = re.compile(r"\d+ (passed|failed|skipped|error|errors|deselected)\b")


@dataclass
class Timed:
    seconds: float
    exit_code: int
    output: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out

    def summary(self) -> str:
        """pytest's last summary line ("12 passed, 3 skipped"), or the last line of output."""
        rows = [row.strip(" =") for row in self.output.splitlines() if row.strip()]
        found = [row for row in rows if SUMMARY.search(row)]
        text = (found or rows or ["(no output)"])[-1]
        return re.sub(r" in [\d.]+s( \(.*\))?$", "", text)

    def failures(self) -> list[str]:
        return [row for row in self.output.splitlines() if row.startswith(("FAILED ", "ERROR "))]

    def problems(self) -> list[str]:
        """What went wrong, for the figures' notes: pytest's FAILED/ERROR lines (at most 10), or the exit
        status with the output's end when there are none; nothing when it passed."""
        if self.ok:
            return []
        return self.failures()[:10] or [f"exit {self.exit_code}; last output: {self.output.strip()[-600:]}"]


def run(argv: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 1800) -> Timed:
    """Wall time of argv; past the deadline its whole process group is killed and the result says so."""
    with tempfile.TemporaryFile(mode="w+") as log:
        start = time.perf_counter()
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        timed_out = False
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        seconds = time.perf_counter() - start
        log.seek(0)
        return Timed(seconds, process.returncode, log.read(), timed_out)


def pytest_run(args: list[str], report: Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Timed:
    """scripts/test with pytest args, its report in a temporary file (never reports/snippets.json)."""
    argv = [str(cwd / "scripts" / "test"), "-q", "-p", "no:cacheprovider", "--report", str(report), *args]
    return run(argv, cwd=cwd, env=env)


def anchor_seconds() -> float:
    """A fixed CPU-bound piece of work: how fast this machine is right now, to read the other figures by."""
    start = time.perf_counter()
    total = 0
    for number in range(8_000_000):
        total += number * number % 7
    return time.perf_counter() - start


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
