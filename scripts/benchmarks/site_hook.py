"""The site build with the verification hook against the same build without it (mkdocs.yml with `hooks:`
emptied): in-process builds taken in turn, so a busy neighbour slows both alike; prints the two medians.

    python scripts/benchmarks/site_hook.py [RUNS]      (default 5; one warm-up pair first)
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build_seconds(site_dir: Path, with_hook: bool) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    overrides = {} if with_hook else {"hooks": []}
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), **overrides)
    start = time.perf_counter()
    build(config)
    return time.perf_counter() - start


def _pair(site: Path, first_hooked: bool) -> tuple[float, float]:
    """(with, without), built in turn; which goes first alternates, so neither always gets the warmer cache."""
    if first_hooked:
        hooked = build_seconds(site, True)
        return hooked, build_seconds(site, False)
    bare = build_seconds(site, False)
    return build_seconds(site, True), bare


def main(runs: int) -> None:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # every build would print its INFO lines
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        site = Path(tmp) / "site"
        build_seconds(site, True), build_seconds(site, False)  # imports, Pygments lexers, the file cache
        pairs = [_pair(site, first_hooked=index % 2 == 0) for index in range(runs)]
    hooked, bare = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
    print(json.dumps({"with": hooked, "without": bare, "runs": runs}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
