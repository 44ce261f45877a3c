"""Where a run's CPU goes: scripts/test (the whole suite, or the pytest arguments given) with every process it
starts sampled from /proc, each process's own CPU summed by what it runs, inside and outside the walkthroughs'
reader sessions. Run by `scripts/bench --only cpu-budget -- [PYTEST ARGS]`. Figures only.

A process shorter than one sampling interval can end unseen; its CPU still reaches its parent's "children"
count when the parent waits for it, so each group has a line for its short-lived processes. The run's total
is what this process's children used (getrusage), plus the processes that left the run's tree and were
waited for by init instead (Chromium's).
"""

from __future__ import annotations

import functools
import os
import resource
import shlex
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from timing import Timed, anchor_seconds, pytest_run

from snipcheck.reader.cleanroom import WALKTHROUGH_ROOM

INTERVAL = 0.05
TICK = os.sysconf("SC_CLK_TCK")
INSIDE, OUTSIDE, ELSEWHERE = "in walkthrough sessions", "the rest of the run", "not under this run"
LEFT = "reaped outside the run"
SHORT = f"(under {INTERVAL * 1000:.0f} ms each, not sampled) started by "
# What an interpreter runs, read from its arguments, to the line it is counted in.
MODULES = {"pip": "pip install", "venv": "python3 -m venv", "ensurepip": "python3 -m venv", "pytest": "pytest"}


@dataclass
class Seen:
    ppid: int
    started: int  # clock ticks after boot: tells a reused pid apart
    argv: list[str]
    cpu: float
    children: float  # the CPU of the children it has waited for, theirs included
    reaper: int = 0  # the parent last seen: an orphan's CPU goes to the process that waits for it instead


Key = tuple[int, int]


def _stat(pid: str) -> tuple[int, int, float, float] | None:
    """(parent pid, start tick, own CPU seconds, waited-for children's CPU seconds) of a live process, or None
    once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    fields = raw[raw.rindex(b")") + 2 :].split()  # after "pid (comm) ": the name may hold spaces
    ticks = [int(field) for field in fields[11:15]]  # utime, stime, cutime, cstime
    return int(fields[1]), int(fields[19]), (ticks[0] + ticks[1]) / TICK, (ticks[2] + ticks[3]) / TICK


def _argv(pid: str) -> list[str]:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []
    return argv[0].split() if len(argv) == 1 else argv  # Chromium's children rewrite theirs as one string


class Sampler(threading.Thread):
    """Every process that starts while it runs, with its CPU as last seen."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.seen: dict[Key, Seen] = {}
        self.done = threading.Event()
        me = _stat("self")
        self.floor = me[1] if me else 0  # only processes started after this one count

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            time.sleep(INTERVAL)

    def sample(self) -> None:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            found = _stat(pid)
            if found is None or found[1] < self.floor or int(pid) == os.getpid():
                continue
            ppid, started, cpu, children = found
            entry = self.seen.get((int(pid), started))
            if entry is None:
                self.seen[(int(pid), started)] = Seen(ppid, started, _argv(pid), cpu, children, ppid)
                continue
            if cpu - entry.cpu > 0 or not entry.argv:  # a fork shows its parent's argv until it execs
                entry.argv = _argv(pid) or entry.argv
            entry.cpu, entry.children, entry.reaper = cpu, children, ppid


def what_it_runs(argv: list[str]) -> str:
    """The line a process is counted in: the program, or for Python what it runs (-m, -c or a script)."""
    if not argv:
        return "(gone before its command line was read)"
    program = Path(argv[0]).name
    if not program.startswith("python"):
        return "chromium" if program.startswith("chrom") else program
    option, value = _python_target(argv[1:])
    if option == "-m":
        return MODULES.get(value.split(".")[0], f"python -m {value}")
    if option == "-c":
        if "sys.stdin.readline" in value:  # execnet's bootstrap, which pytest-xdist starts its workers with
            return "pytest-xdist worker"
        return "python3 -m venv" if "runpy" in value and ".whl" in value else "python -c"  # ensurepip's pip
    script = Path(value).name or "python"
    return "pip install" if script == "__pip-runner__.py" else script


def _python_target(args: list[str]) -> tuple[str, str]:
    """("-m", module), ("-c", code) or ("", script): what the interpreter runs, past its own options."""
    index = 0
    while index < len(args) and args[index].startswith("-") and not args[index].startswith(("-m", "-c")):
        index += 2 if args[index] in ("-W", "-X") else 1  # these two take their value as the next word
    rest = args[index:]
    if not rest:
        return "", ""
    if rest[0] in ("-m", "-c"):
        return rest[0], rest[1] if len(rest) > 1 else ""
    if rest[0].startswith(("-m", "-c")):
        return rest[0][:2], rest[0][2:]
    return "", rest[0]


class Family:
    """Each seen process's place: under this benchmark or not (a reparented orphan, other work), and whether
    it or an ancestor is a walkthrough's reader session."""

    def __init__(self, seen: dict[Key, Seen], root: int) -> None:
        self.seen, self.root = seen, root
        self.by_pid: dict[int, list[Key]] = defaultdict(list)
        for key in seen:
            self.by_pid[key[0]].append(key)
        self.memo: dict[Key, str] = {}

    def where(self, key: Key) -> str:
        if key not in self.memo:
            self.memo[key] = self._where(key)
        return self.memo[key]

    def _where(self, key: Key) -> str:
        entry = self.seen[key]
        if any(WALKTHROUGH_ROOM in arg and arg.endswith(".sh") for arg in entry.argv[1:]):  # <room>/log-N.sh
            return INSIDE
        if entry.ppid == self.root:
            return OUTSIDE
        parent = self.parent(entry)
        return self.where(parent) if parent else ELSEWHERE

    def parent(self, entry: Seen, pid: int | None = None) -> Key | None:
        """The process that had the parent's pid (or `pid`) when this one started (pids are reused)."""
        older = [key for key in self.by_pid.get(entry.ppid if pid is None else pid, []) if key[1] <= entry.started]
        return max(older, key=lambda key: key[1]) if older else None


def system_cpu() -> float:
    user, nice, system, _idle, _iowait, irq, softirq = Path("/proc/stat").read_text().split(maxsplit=8)[1:8]
    return sum(int(ticks) for ticks in (user, nice, system, irq, softirq)) / TICK


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def budget(seen: dict[Key, Seen], root: int, total: float) -> tuple[dict[tuple[str, str], list[float]], float]:
    """(where, what) -> [CPU seconds, processes], and the CPU of the processes that left the run's tree (an
    orphan that init, not the run, waited for: not in `total`, the CPU of every child `root` waited for)."""
    family = Family(seen, root)
    reaped: dict[Key | str | None, list[Key]] = defaultdict(list)  # a reaper (None: root) -> what it waited for
    for key, entry in seen.items():
        reaper = None if entry.reaper == root else family.parent(entry, entry.reaper)
        reaped[LEFT if entry.reaper != root and reaper is None else reaper].append(key)

    @functools.cache
    def whole(key: Key) -> float:
        """Its CPU and its descendants': a reaper's last reading can predate its last child's end."""
        return seen[key].cpu + max(seen[key].children, sum(map(whole, reaped[key])))

    lines: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    for key, entry in seen.items():
        line = lines[(family.where(key), what_it_runs(entry.argv))]
        line[0] += entry.cpu
        line[1] += 1
        short = lines[(family.where(key), SHORT + what_it_runs(entry.argv))]
        short[0] += max(0.0, entry.children - sum(map(whole, reaped[key])))
    lines[(OUTSIDE, SHORT + "scripts/test")][0] += max(0.0, total - sum(map(whole, reaped[None])))
    return lines, sum(map(whole, reaped[LEFT]))


@dataclass
class Measured:
    done: Timed
    wall: float
    run: float  # the CPU of every process the run started (getrusage of this process's children)
    sampler: float
    machine: float  # system-wide, other work included
    seen: dict[Key, Seen]


def measure(args: list[str]) -> Measured:
    sampler = Sampler()
    sampler.start()
    own, machine, before, started = time.process_time(), system_cpu(), children_cpu(), time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cpu-budget-") as tmp:
        done = pytest_run(args, Path(tmp) / "report.json")
    wall, machine, run = time.monotonic() - started, system_cpu() - machine, children_cpu() - before
    sampler.done.set()
    sampler.join()
    return Measured(done, wall, run, time.process_time() - own, machine, sampler.seen)


def main(args: list[str]) -> int:
    anchor = anchor_seconds()
    found = measure(args)
    command = shlex.join(["scripts/test", "-q", *args])
    print(f"{command}: {found.done.summary()}, {found.wall:.1f} s wall on {os.cpu_count()} cores")
    for row in found.done.problems():  # a figure of a run that failed says what failed
        print(f"    {row}")
    print(f"anchor (fixed CPU work) before the run: {anchor:.2f} s")
    lines, left = budget(found.seen, os.getpid(), found.run)
    print(
        f"CPU: the run {found.run + left:.1f} s ({left:.1f} s of it in processes that left its tree), "
        f"this sampler {found.sampler:.1f} s, the machine {found.machine:.1f} s"
    )
    print_budget(lines)
    return 0 if found.done.ok else 1


def print_budget(lines: dict[tuple[str, str], list[float]]) -> None:
    for where in (INSIDE, OUTSIDE, ELSEWHERE):
        mine = {what: v for (w, what), v in lines.items() if w == where and v[0] > 0}
        if sum(v[0] for v in mine.values()) < 0.05:
            continue
        print(f"\n{where}: {sum(v[0] for v in mine.values()):.1f} s")
        print(f"  {'CPU s':>7}  {'procs':>5}  runs")
        for what, (cpu, count) in sorted(mine.items(), key=lambda item: -item[1][0]):
            if cpu >= 0.5:
                print(f"  {cpu:7.1f}  {count or '-':>5}  {what}")
        small = [v for v in mine.values() if v[0] < 0.5]
        if small:
            cpu, count, more = sum(v[0] for v in small), sum(v[1] for v in small), len(small)
            print(f"  {cpu:7.1f}  {count:5d}  ({more} more line{'s' if more > 1 else ''}, each under 0.5 s)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
