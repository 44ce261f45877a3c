"""Every benchmark figure in one table, each aim marked met or missed; run by scripts/bench.

Each figure is measured in this run together with what it is read against (pip beside the scripts' own
environment setup, the build without the hook, the raw tool runs under the static tier, the full run under
--changed), and a fixed CPU-bound anchor is timed at the start and the end, so figures from a busy machine
can be told apart from slow code. Figures only: nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import changed
import floor
import venv_setup
from timing import ROOT, Timed, anchor_seconds, load, pytest_run, run

HERE = Path(__file__).resolve().parent


@dataclass
class Row:
    figure: str
    before: str = "-"
    aim: str = "-"
    now: str = "-"
    against: str = "-"
    verdict: str = ""


def seconds(timed: Timed, summary: bool = False) -> str:
    text = f"{timed.seconds:.1f} s"
    if timed.timed_out:
        return text + " (killed at its deadline)"
    if summary:
        return f"{text} ({timed.summary()})"
    return text if timed.ok else f"{text} (exit {timed.exit_code})"


def judged(value: float, limit: float, timed: Timed | None = None) -> str:
    if timed is not None and not timed.ok and not timed.failures():
        return "no figure"
    return "met" if value <= limit else "missed"


def _uv_part(uv: Timed | None, scripts: Timed) -> str:
    if uv is None:
        return "; uv: not found"
    return f"; uv, same lock: {seconds(uv)} ({uv.seconds / scripts.seconds:.1f}x)"


class Bench:
    """Runs the figures asked for; results shared between figures (the full run for --changed) are kept."""

    def __init__(self, work: Path, runs: int) -> None:
        self.work, self.runs = work, runs
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.full: Timed | None = None

    def report(self, name: str) -> Path:
        return self.work / f"{name}.json"

    def note_failures(self, label: str, timed: Timed) -> None:
        self.notes += [f"{label}: {row}" for row in timed.problems()]

    # -- the figures ---------------------------------------------------------------------------------------

    def venv(self, name: str, before: str) -> None:
        found = venv_setup.measure(name)
        for label, timed in found.items():
            self.note_failures(f"venv {name} ({label})", timed)
        scripts_warm, pip_warm = found["scripts warm"], found["pip warm"]
        uv_warm, uv_cold = found.get("uv warm"), found.get("uv cold")
        self.rows.append(
            Row(
                f"creating the `{name}` venv from its lock (package cache filled)",
                before,
                "<= 5 s",
                seconds(scripts_warm),
                f"pip, same lock: {seconds(pip_warm)} ({pip_warm.seconds / scripts_warm.seconds:.1f}x)"
                + _uv_part(uv_warm, scripts_warm),
                judged(scripts_warm.seconds, 5, scripts_warm),
            )
        )
        scripts_cold, pip_cold = found["scripts cold"], found["pip cold"]
        self.rows.append(
            Row(
                f"creating the `{name}` venv, empty package cache (downloads)",
                now=seconds(scripts_cold),
                against=f"pip, same lock: {seconds(pip_cold)} ({pip_cold.seconds / scripts_cold.seconds:.1f}x)"
                + _uv_part(uv_cold, scripts_cold),
            )
        )

    def full_suite(self) -> None:
        self.full = pytest_run([], self.report("full"))
        self.note_failures("full suite", self.full)
        self.rows.append(
            Row(
                "full `scripts/test`, warm venvs",
                "316-439 s",
                "<= 120 s",
                seconds(self.full, summary=True),
                verdict=judged(self.full.seconds, 120, self.full),
            )
        )

    def snippets(self) -> None:
        tiers = ["snippets", "-m", "static or local"]
        both = pytest_run(tiers, self.report("snippets"))
        self.note_failures("static + local", both)
        self.rows.append(
            Row(
                "static + local snippet items, warm",
                "66 s (24.5 s without the two SDK installs)",
                "<= 40 s",
                seconds(both, summary=True),
                "the SDK installs run once, as their walkthroughs' first step (next row)",
                judged(both.seconds, 40, both),
            )
        )

    def sdk_installs(self) -> None:
        selection = ["docs/pipelines-sdk.md", "-k", "walkthrough"]  # each installs kfp as its first step
        empty = self.work / "empty-pip-cache"
        cold = pytest_run(selection, self.report("sdk-cold"), env={"PIP_CACHE_DIR": str(empty)})
        warm = pytest_run(selection, self.report("sdk-warm"))
        self.note_failures("SDK installs, cold", cold)
        self.note_failures("SDK installs, warm", warm)
        # pip keeps a download only when the index sends caching headers; a mirror that sends none leaves the
        # warm run nothing to reuse, which this count shows (the wheels pip built itself are kept either way).
        kept = sum(1 for name in ("http", "http-v2") for path in (empty / name).rglob("*") if path.is_file())
        self.rows.append(
            Row(
                "the two SDK walkthroughs (install, then the page), shared pip cache",
                now=seconds(warm, summary=True),
                against=f"empty pip cache: {seconds(cold)}, after which it held {kept} downloads",
            )
        )

    def static_floor(self) -> None:
        snippets = floor.shell_snippets()
        tier = pytest_run(floor.static_items(snippets), self.report("static"))
        self.note_failures("static tier", tier)
        raw, count = floor.raw_tools(snippets)
        self.rows.append(
            Row(
                f"static tier of the {len(snippets)} shell snippets (pytest, whole run)",
                now=seconds(tier, summary=True),
                against=f"raw tools ({count} runs of bash -n, shellcheck, kubectl; {os.cpu_count()} at once): "
                f"{raw.seconds:.1f} s ({tier.seconds / raw.seconds:.1f}x)",
            )
        )

    def links(self) -> None:
        done = pytest_run(["tests/test_links.py"], self.report("links"))
        self.note_failures("test_links", done)
        self.rows.append(
            Row("`test_links`", "83 s", "<= 15 s", seconds(done, summary=True), verdict=judged(done.seconds, 15, done))
        )

    def site(self) -> None:
        done = run([sys.executable, str(HERE / "site_hook.py"), str(self.runs)], timeout=900)
        if not done.ok:
            self.note_failures("site build", done)
            self.rows.append(Row("site build with the hook vs without it", "1.22x", "<= 1.10x", "no figure"))
            return
        built = json.loads(done.output.strip().splitlines()[-1])
        ratio = built["with"] / built["without"]
        self.rows.append(
            Row(
                "site build with the hook vs without it",
                "1.22x",
                "<= 1.10x",
                f"{ratio:.2f}x",
                f"in-process, median of {built['runs']}: {built['with']:.2f} s with, {built['without']:.2f} s without",
                judged(ratio, 1.10),
            )
        )

    def changed_run(self) -> None:
        done, said = changed.measure()
        self.note_failures("--changed", done)
        self.notes += said
        against = "-"
        if self.full:
            against = f"full run: {self.full.seconds:.1f} s ({100 * done.seconds / self.full.seconds:.1f} %)"
        self.rows.append(
            Row(
                "`--changed` after a one-line snippet edit",
                "5.0 s",
                "<= 5 s",
                seconds(done, summary=True),
                against,
                judged(done.seconds, 5, done),
            )
        )

    FIGURES = {
        "venv-tools": lambda self: self.venv("tools", "pip 28.3 s (uv 3.3 s)"),
        "venv-kfp-v2": lambda self: self.venv("kfp-v2", "pip 24.6 s (uv 2.0 s)"),
        "full-suite": full_suite,
        "snippets": snippets,
        "static-floor": static_floor,
        "sdk-installs": sdk_installs,
        "links": links,
        "site": site,
        "changed": changed_run,
    }
    HEAVY = ("venv-tools", "venv-kfp-v2", "full-suite")


# Benchmarks of their own, with their own output, run only when named with --only.
EXTRAS = {
    "interrupt": [sys.executable, str(HERE / "interrupt.py")],
    "count-commands": [sys.executable, str(HERE / "count_commands.py")],
    "site-detail": [sys.executable, str(HERE / "site_bench.py")],  # the site's own benchmark (transfer sizes)
    "cpu-budget": [sys.executable, str(HERE / "cpu_budget.py")],  # where a run's CPU goes, by process
}


def print_table(rows: list[Row]) -> None:
    header = Row("figure", "before (issue)", "aim", "now", "read against (same run)", "met?")
    fields = ["figure", "before", "aim", "now", "against", "verdict"]
    cells = [[getattr(row, f) for f in fields] for row in [header, *rows]]
    widths = [max(len(cell[i]) for cell in cells) for i in range(len(fields))]
    for index, cell in enumerate(cells):
        print("| " + " | ".join(text.ljust(width) for text, width in zip(cell, widths, strict=True)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"skip the slow figures ({', '.join(Bench.HEAVY)})")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help=f"only this figure (repeatable): {', '.join(Bench.FIGURES)}; or one of {', '.join(EXTRAS)}",
    )
    parser.add_argument("--runs", type=int, default=5, help="site builds per side (default 5)")
    parser.add_argument("extra", nargs="*", help="arguments for an extra benchmark named with --only")
    chosen = parser.parse_args()
    unknown = [name for name in chosen.only if name not in Bench.FIGURES and name not in EXTRAS]
    if unknown:
        parser.error(f"unknown figure {', '.join(unknown)}; known: {', '.join([*Bench.FIGURES, *EXTRAS])}")
    return chosen


def main() -> int:
    chosen = options()
    extras = [name for name in chosen.only if name in EXTRAS]
    for name in extras:  # their own output, passed through
        tests = {"PYTHONPATH": str(ROOT / "tests")}  # site_bench imports the tests' site helpers
        subprocess.run([*EXTRAS[name], *chosen.extra], cwd=ROOT, env={**os.environ, **tests}, check=False)
    skipped = Bench.HEAVY if chosen.quick else ()
    names = [n for n in Bench.FIGURES if n in chosen.only or (not chosen.only and n not in skipped)]
    if not names:
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        bench = Bench(Path(tmp), chosen.runs)
        anchor_before, load_before, started = anchor_seconds(), load(), time.monotonic()
        for name in names:
            print(f"measuring {name} ...", file=sys.stderr, flush=True)
            Bench.FIGURES[name](bench)
        anchor_after, load_after = anchor_seconds(), load()
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ")
    print(
        f"scripts/bench {' '.join(sys.argv[1:])}".rstrip() + f": {when}, {os.cpu_count()} cores, "
        f"{time.monotonic() - started:.0f} s in all"
    )
    print(
        f"anchor (fixed CPU work): {anchor_before:.2f} s at the start, {anchor_after:.2f} s at the end; "
        f"load {load_before} -> {load_after}"
    )
    print()
    print_table(bench.rows)
    for note in bench.notes:
        print(f"  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
