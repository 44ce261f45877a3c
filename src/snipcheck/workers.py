"""How many pytest-xdist workers a run gets (-n auto): one more than the cores, or none for a small selection.

Each worker imports and collects the whole suite, about 1.2 s of CPU, so a focused run such as
`scripts/test -k kind-config` took 2.8-4.4 s with three workers and 1.2-1.5 s in one process. What a -k
expression or a path selects, and how long that takes, is known only after collection: the last full
collection's -k names of every item and the last duration of every item are kept in pytest's cache, and a
run they describe completely runs in one process when workers could gain less than they cost (its work less
its longest item, which no worker can split, under PAY_OFF seconds). Whatever they cannot answer (no cache,
an item never timed, --changed, -m, another option that selects) keeps the workers. The choice changes how
fast a run is, never what it runs, and any surprise in pytest's internals falls back to the workers.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

NAMES_KEY = "snipcheck/names"  # {nodeid: [the names -k matches]}, from the last full collection
DURATIONS_KEY = "snipcheck/durations"  # {nodeid: seconds of setup, call and teardown}, from the last run of it
PAY_OFF = 3.0  # seconds of wall time that starting workers costs on 2 cores (2.8-4.4 s against 1.2-1.5 s)
# Options that select items in ways the cache cannot follow: a run with any of them keeps the workers.
OTHER_SELECTION = ("changed", "markexpr", "lf", "failedfirst", "stepwise", "deselect", "ignore", "ignore_glob")


def default_count() -> int:
    """One worker more than there are cores: many items wait on PyPI, a subprocess or a deadline rather than
    on a core (on 2 cores the whole suite took 127 s with 3 workers, 146 s with 2; 4 were slower again)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1


@dataclass
class Estimate:
    items: int
    work: float  # seconds, summed
    longest: float

    @property
    def one_process(self) -> bool:
        return self.work - self.longest < PAY_OFF

    def line(self) -> str:
        took = f"{self.work:.1f} s" if self.work >= 0.05 else "under 0.1 s"
        return (
            f"one process, no workers: the {self.items} selected item(s) took {took} in their last runs, "
            "too little for workers to pay off (-n N asks for N)"
        )


def count(config) -> int:
    """The worker count for -n auto; 0 (one process) says why on stderr."""
    try:
        estimate = estimate_of(config)
    except Exception:  # noqa: BLE001 - pytest's internals moved: the workers, as before this existed
        estimate = None
    if estimate is None or not estimate.one_process:
        return default_count()
    print(f"snipcheck: {estimate.line()}", file=sys.stderr)
    return 0


def estimate_of(config) -> Estimate | None:
    """The selected items' last durations, or None when the cache cannot say exactly which items run."""
    folder = _cache_folder(config)
    if folder is None or any(_given(config, name) for name in OTHER_SELECTION):
        return None
    keyword = config.option.keyword or ""
    paths = _paths(config)
    if not keyword and paths is None:
        return None  # the whole suite: workers
    names, durations = _read(folder, NAMES_KEY), _read(folder, DURATIONS_KEY)
    if not names or paths == []:
        return None
    matches = _keyword_matcher(keyword)
    selected = [node for node, words in names.items() if _under(node, paths) and matches(words)]
    if any(node not in durations for node in selected):
        return None  # a new item, or one that never ran to its end
    taken = [float(durations[node]) for node in selected]
    return Estimate(len(selected), sum(taken), max(taken, default=0.0))


def record_names(config, items) -> None:
    """After a full collection (no path given): every item's -k names, for the next run's estimate."""
    cache = getattr(config, "cache", None)
    if cache is None or _paths(config) is not None:
        return
    from _pytest.mark import KeywordMatcher

    cache.set(NAMES_KEY, {item.nodeid: sorted(KeywordMatcher.from_item(item)._names) for item in items})


class Timings:
    """Each item's time in this run (setup, call and teardown), kept in the cache when the session ends.
    Registered on the process that hears every report: a serial run, or the xdist controller."""

    def __init__(self, config) -> None:
        self.config = config
        self.taken: dict[str, float] = {}

    def pytest_runtest_logreport(self, report) -> None:
        self.taken[report.nodeid] = self.taken.get(report.nodeid, 0.0) + report.duration

    def pytest_sessionfinish(self) -> None:
        record_durations(self.config, self.taken)


def record_durations(config, taken: dict[str, float]) -> None:
    """The items of this run that ended, merged into the last durations of the items the names know."""
    cache = getattr(config, "cache", None)
    if cache is None or not taken:
        return
    names = cache.get(NAMES_KEY, {})
    merged = {node: seconds for node, seconds in cache.get(DURATIONS_KEY, {}).items() if node in names}
    for node, seconds in taken.items():
        plain = node.rsplit("@", 1)[0] if node not in names else node  # xdist's group suffix (groups.py)
        if plain in names:
            merged[plain] = round(seconds, 3)
    cache.set(DURATIONS_KEY, merged)


def _cache_folder(config) -> Path | None:
    """pytest's cache folder (cache_dir), unless the cache is turned off (-p no:cacheprovider). Found by hand:
    xdist asks for the worker count in pytest_cmdline_main, before the cacheprovider's pytest_configure makes
    config.cache."""
    if config.pluginmanager.is_blocked("cacheprovider") or config.getoption("cacheclear", False):
        return None
    folder = Path(os.path.expanduser(os.path.expandvars(config.getini("cache_dir"))))
    return folder if folder.is_absolute() else Path(config.rootpath) / folder


def _read(folder: Path, key: str) -> dict:  # config.cache.get, before config.cache exists (_cache_folder)
    try:
        data = json.loads((folder / "v" / key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _given(config, name: str) -> bool:
    value = getattr(config.option, name, None)
    return value is not None if name == "changed" else bool(value)  # --changed alone is "" (the merge base)


def _paths(config) -> list[str] | None:
    """The node id prefixes the positional arguments name, relative to the rootdir; None when none is given,
    [] when one cannot be read that way (it then keeps the workers)."""
    if not config.args or config.args_source != config.ArgsSource.ARGS:
        return None
    root, prefixes = Path(config.rootpath).resolve(), []
    for arg in config.args:
        path, _, rest = arg.partition("::")
        try:
            relative = (Path(config.invocation_params.dir) / path).resolve().relative_to(root).as_posix()
        except ValueError:
            return []
        prefixes.append(f"{relative}::{rest}" if rest else relative)
    return prefixes


def _under(node: str, paths: list[str] | None) -> bool:
    if paths is None:
        return True
    return any(node == p or node.startswith((f"{p}/", f"{p}::", f"{p}[")) or p in ("", ".") for p in paths)


def _keyword_matcher(keyword: str):
    if not keyword:
        return lambda words: True
    from _pytest.mark import KeywordMatcher
    from _pytest.mark.expression import Expression

    expression = Expression.compile(keyword)
    return lambda words: expression.evaluate(KeywordMatcher(set(words)))
