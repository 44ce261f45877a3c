"""Benchmark of the site build (with and without the hook, warm CLI build) and of a first visit's transfer size."""

from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

from support.site_serve import ARGS, CHROMIUM, ROOT, build_site, serve

ALREADY_COMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".gz")


HOOK_SECONDS: list[float] = []


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
        HOOK_SECONDS.append(spent[0])
    return time.perf_counter() - start


def _time_hook_events(config) -> list[float]:
    """Wrap the hook's own event functions so their time adds up in the returned one-item list."""
    spent = [0.0]
    hook_modules = {module.__name__ for module in config.hooks.values()}

    def timed(function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

        return wrapper

    for methods in config.plugins.events.values():
        for index, method in enumerate(methods):
            if getattr(method, "__module__", None) in hook_modules:
                methods[index] = timed(method)
    return spent


def median_of(runs: int, measure) -> float:
    measure()  # warm-up: imports, Pygments lexers, the OS file cache
    return statistics.median(measure() for _ in range(runs))


def interleaved(runs: int, first, second) -> tuple[float, float]:
    """Medians of two measures taken in turn, so a busy neighbour on the machine slows both alike."""
    first(), second()
    pairs = [(first(), second()) for _ in range(runs)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


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
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        hooked, bare = interleaved(runs, lambda: in_process_build(site, True), lambda: in_process_build(site, False))
        warm = median_of(3, lambda: cli_build(site))
        print(
            f"build in-process, median of {runs}: with hook {hooked:.2f} s, without hook {bare:.2f} s, "
            f"difference {100 * (hooked / bare - 1):+.1f} % (aim <= 15 %)"
        )
        own = statistics.median(HOOK_SECONDS)
        print(
            f"time spent inside the hook's events, median: {own:.3f} s per build ({100 * own / hooked:.1f} % "
            "of the build; steadier than the difference above when the machine is busy)"
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
