"""Benchmark of the site build (with and without the hook, warm CLI build) and of a first visit's transfer size."""
from __future__ import annotations

import gzip
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .site_serve import ROOT, build_site, serve

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ALREADY_COMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".gz")


def in_process_build(site_dir: Path, with_hook: bool) -> float:
    """Seconds for one in-process build; without the hook it is the same mkdocs.yml with hooks: emptied."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    overrides = {} if with_hook else {"hooks": []}
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), **overrides)
    start = time.perf_counter()
    build(config)
    return time.perf_counter() - start


def median_of(runs: int, measure) -> float:
    measure()                          # warm-up: imports, Pygments lexers, the OS file cache
    return statistics.median(measure() for _ in range(runs))


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
    logging.getLogger("mkdocs").setLevel(logging.WARNING)     # in-process builds would print every INFO line
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        hooked = median_of(runs, lambda: in_process_build(site, True))
        bare = median_of(runs, lambda: in_process_build(site, False))
        warm = median_of(3, lambda: cli_build(site))
        print(f"build in-process, median of {runs}: with hook {hooked:.2f} s, without hook {bare:.2f} s, "
              f"hook overhead {100 * (hooked / bare - 1):+.1f} % (aim <= 15 %)")
        print(f"warm full build (mkdocs build --strict, CLI, median of 3): {warm:.2f} s (aim <= 5 s)")
        if not CHROMIUM.exists():
            print(f"first visit: skipped, chromium not found at {CHROMIUM}")
            return
        responses = first_visit(site)
    index = [r for r in responses if "search_index" in r[0]]
    rest = [r for r in responses if r not in index]
    for path, raw, packed in sorted(responses, key=lambda r: -r[2]):
        print(f"  {packed:>9,} B gzip  {raw:>9,} B raw  {path}")
    print(f"first visit to the Korean home: {len(rest)} files, {sum(r[2] for r in rest):,} B gzip-compressed "
          f"({sum(r[1] for r in rest):,} B raw); the search index the worker fetches adds "
          f"{sum(r[2] for r in index):,} B gzip")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
