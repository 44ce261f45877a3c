"""Benchmark of the site build (with and without the hook, warm CLI build) and of a first visit's transfer size.

The hook is measured in one paired run: in-process builds with and without it taken in turn (which goes first
alternates), each side's median, and the median of the per-pair ratios, which a busy machine disturbs least.
The badges and the status page depend on the report: the run names the one it used (SNIPCHECK_REPORT or
reports/snippets.json); without one the hook has little to do and the figures flatter it."""

from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from snipcheck.site.report_view import report_path
from support.site_serve import ARGS, CHROMIUM, ROOT, build_site, serve

ALREADY_COMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".gz")


HOOK_SECONDS: list[float] = []
HOOK_EVENTS: list[Counter] = []


def in_process_build(site_dir: Path, with_hook: bool) -> float:
    """Seconds for one in-process build; without the hook it is the same mkdocs.yml with hooks: emptied."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    overrides = {} if with_hook else {"hooks": []}
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), **overrides)
    spent = _time_hook_events(config)
    start = time.perf_counter()
    build(config)
    if with_hook:
        HOOK_SECONDS.append(sum(spent.values()))
        HOOK_EVENTS.append(spent)
    return time.perf_counter() - start


def _time_hook_events(config) -> Counter:
    """Wrap the hook's own event functions so their time adds up per event in the returned counter (the i18n
    plugin builds the other languages inside the first build's post_build, which runs no hook event itself)."""
    spent: Counter = Counter()
    hook_modules = {module.__name__ for module in config.hooks.values()}

    def timed(event, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[event] += time.perf_counter() - start

        return wrapper

    for event, methods in config.plugins.events.items():
        for index, method in enumerate(methods):
            if getattr(method, "__module__", None) in hook_modules:
                methods[index] = timed(event, method)
    return spent


def median_of(runs: int, measure) -> float:
    measure()  # warm-up: imports, Pygments lexers, the OS file cache
    return statistics.median(measure() for _ in range(runs))


def interleaved(runs: int, first, second) -> list[tuple[float, float]]:
    """Pairs of two measures taken in turn, so a busy neighbour on the machine slows both alike; which goes
    first alternates, so neither always gets the warmer cache."""
    first(), second()
    pairs = []
    for index in range(runs):
        if index % 2:
            later = second()
            pairs.append((first(), later))
        else:
            pairs.append((first(), second()))
    return pairs


def hook_figures(runs: int, site: Path) -> dict:
    """The paired run: medians with and without the hook, the median of the per-pair ratios, the hook's events."""
    HOOK_SECONDS.clear()
    HOOK_EVENTS.clear()
    pairs = interleaved(runs, lambda: in_process_build(site, True), lambda: in_process_build(site, False))
    events = {e: statistics.median(spent[e] for spent in HOOK_EVENTS) for e in set().union(*HOOK_EVENTS)}
    return {
        "with": statistics.median(p[0] for p in pairs),
        "without": statistics.median(p[1] for p in pairs),
        "ratio": statistics.median(p[0] / p[1] for p in pairs),
        "hook_events": statistics.median(HOOK_SECONDS),
        "events": dict(sorted(events.items(), key=lambda item: -item[1])),
        "runs": runs,
    }


def cli_build(site_dir: Path) -> float:
    start = time.perf_counter()
    result = build_site(site_dir)
    if result.returncode != 0:
        sys.exit(f"mkdocs build --strict failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - start


def first_visit(site_dir: Path) -> list[tuple[str, int, int]]:
    """(path, raw bytes, gzip bytes) of every response while the Korean home opens in Chromium."""
    from playwright.sync_api import sync_playwright

    seen: list[tuple[str, int, int]] = []

    def record(response):
        body = response.body() if response.ok else b""
        path = response.url.split("/", 3)[-1] or "index.html"
        packed = len(body) if path.endswith(ALREADY_COMPRESSED) else len(gzip.compress(body, 9))
        seen.append((path, len(body), packed))

    with serve(site_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.on("response", record)
        page.goto(base, wait_until="networkidle")
        browser.close()
    return seen


def main(runs: int = 5) -> None:
    import logging

    logging.getLogger("mkdocs").setLevel(logging.WARNING)  # in-process builds would print every INFO line
    report = report_path(ROOT)
    print(
        f"report: {report}" if report.exists() else f"report: none at {report} (every badge says so; run scripts/test)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        hook = hook_figures(runs, site)
        warm = median_of(3, lambda: cli_build(site))
        hooked, bare = hook["with"], hook["without"]
        print(
            f"build in-process, {runs} pairs: with hook {hooked:.2f} s, without hook {bare:.2f} s (medians); "
            f"with/without {hook['ratio']:.2f}x (median of the pairs' ratios; aim <= 1.10x)"
        )
        events = ", ".join(f"{event} {seconds:.3f} s" for event, seconds in list(hook["events"].items())[:4])
        print(
            f"time spent inside the hook's events, median: {hook['hook_events']:.3f} s per build "
            f"({100 * hook['hook_events'] / hooked:.1f} % of the build; {events})"
        )
        print(f"warm full build (mkdocs build --strict, CLI, median of 3): {warm:.2f} s (aim <= 5 s)")
        if not CHROMIUM.exists():
            print(f"first visit: skipped, chromium not found at {CHROMIUM}")
            return
        responses = first_visit(site)
    index = [r for r in responses if "search_index" in r[0]]
    rest = [r for r in responses if r not in index]
    for path, raw, packed in sorted(responses, key=lambda r: -r[2]):
        print(f"  {packed:>9,} B gzip  {raw:>9,} B raw  {path}")
    print(
        f"first visit to the Korean home: {len(rest)} files, {sum(r[2] for r in rest):,} B gzip-compressed "
        f"({sum(r[1] for r in rest):,} B raw); the search index the worker fetches adds "
        f"{sum(r[2] for r in index):,} B gzip"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
