"""pytest glue: one test item per snippet and tier, skip reasons as marks, the report at the end.

Items are collected from each snippets/<group>/checks.yaml, so a manifest error is reported once, at
its own file and line. Ids read `snippets/<group>/checks.yaml::<file>::<tier>`.

Under pytest-xdist (`-n 2 --dist loadgroup`) every worker collects and runs its share of the items; items
that share state carry one `xdist_group` (groups.py), so they run on one worker, in order. Each worker hands
its results, its session's notes and its `--changed` lines to the controller, which writes the one report.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from . import groups, needs, report, runtimes, selection, workers
from . import manifest as manifest_mod
from .context import Context, Options
from .errors import SnippetFailure, display
from .structure import Layout
from .tiers import TIERS
from .walkthrough import items as walkthrough_items

CTX_KEY = pytest.StashKey[Context]()
FROM_WORKERS = pytest.StashKey[dict]()  # on the xdist controller: notes and --changed lines the workers sent
OUTPUT_KEY = "snipcheck"  # this plugin's entry in an xdist worker's workeroutput
CLUSTER_GROUP = "cluster-chains"  # every chain on one worker, one after another, as in a serial run


def pytest_addoption(parser):
    group = parser.getgroup("snipcheck", "snippet checks")
    group.addoption(
        "--report",
        default=os.environ.get("SNIPCHECK_REPORT", str(report.DEFAULT_PATH)),
        help="where the JSON report is written (default: reports/snippets.json)",
    )
    group.addoption(
        "--update-expected",
        action="store_true",
        help="rewrite expected-output files from a real run and show the diff (never in CI)",
    )
    group.addoption("--keep-cluster", action="store_true", help="do not delete the kind clusters at the end")
    group.addoption(
        "--cluster",
        choices=("kind", "existing"),
        default="kind",
        help="kind: a new cluster per chain (default); existing: the context named by --context",
    )
    group.addoption("--context", default=None, help="kube context to use with --cluster=existing")
    group.addoption(
        "--evidence-dir", default=None, help="where cluster evidence goes on failure (default: beside the report)"
    )
    group.addoption(
        "--changed",
        nargs="?",
        const="",
        default=None,
        metavar="BASE",
        help="run only what the changes since BASE affect (default: the merge base with main)",
    )


def pytest_configure(config):
    root = Path(config.rootpath)
    report_path = Path(config.getoption("report"))
    if not report_path.is_absolute():
        report_path = root / report_path
    evidence = config.getoption("evidence_dir")
    options = Options(
        report=report_path,
        update_expected=config.getoption("update_expected"),
        keep_cluster=config.getoption("keep_cluster"),
        cluster=config.getoption("cluster"),
        context=config.getoption("context"),
        evidence_dir=Path(evidence) if evidence else report_path.parent / "evidence",
    )
    if options.update_expected and os.environ.get("CI"):
        raise pytest.UsageError("--update-expected is refused in CI: expected outputs change only by hand")
    layout = Layout(root)
    ctx = Context(layout, manifest_mod.Manifest(root=layout.snippets_dir), options, report.Report(report_path))
    config.stash[CTX_KEY] = ctx
    # The last resort: an interpreter that exits without pytest's session end still cleans up.
    atexit.register(ctx.session.close)
    for tier in manifest_mod.TIERS:
        config.addinivalue_line("markers", f"{tier}: the {tier} tier of a snippet check")
    config.addinivalue_line("markers", "walkthrough: a page's steps run in order in a clean reader's shell, twice")
    config.addinivalue_line("markers", "xdist_group(name): items that must run on one pytest-xdist worker")
    config.stash[FROM_WORKERS] = {"notes": [], "changed": None, "kept": None}
    if not _is_worker(config):  # the process that hears every item's report: serial, or the xdist controller
        config.pluginmanager.register(workers.Timings(config), "snipcheck-timings")
    signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum, frame):
    # SIGTERM becomes a KeyboardInterrupt so pytest unwinds and every cleanup (clusters, processes) runs.
    raise KeyboardInterrupt(f"terminated by signal {signum}")


def pytest_collect_file(file_path: Path, parent):
    ctx = parent.config.stash[CTX_KEY]
    if file_path.name == manifest_mod.MANIFEST_NAME and ctx.layout.snippets_dir in file_path.parents:
        return GroupFile.from_parent(parent, path=file_path)
    if walkthrough_items.wanted(file_path, ctx):
        return walkthrough_items.PageFile.from_parent(parent, path=file_path, ctx=ctx)
    return None


class GroupFile(pytest.File):
    def collect(self):
        ctx = self.config.stash[CTX_KEY]
        # Every group at once (once a session): a chain's steps may join from other groups, whatever is
        # collected and in whatever order; each checks.yaml's own error is raised at its own collection.
        whole = ctx.session.state_of("manifest", lambda: manifest_mod.load_all(ctx.layout.snippets_dir))
        if self.path in whole.errors:
            raise self.CollectError(str(whole.errors[self.path]))
        group = whole.group(self.path)
        ctx.manifest.snippets.update(group.snippets)
        ctx.manifest.chains.update(group.chains)
        ctx.manifest.companions.update(group.companions)
        for snippet in group.snippets.values():
            yield SnippetNode.from_parent(self, name=snippet.path.name, snippet=snippet)


class SnippetNode(pytest.Collector):
    def __init__(self, *, snippet, **kwargs):
        super().__init__(**kwargs)
        self.snippet = snippet

    def collect(self):
        ctx = self.config.stash[CTX_KEY]
        digest = report.sha256(self.snippet.path)
        ctx.report.snippet(self.snippet.id, digest, ctx.pages_of(self.snippet))
        for name, tier in self.snippet.tiers.items():
            if not tier.applies:
                ctx.report.tier(
                    self.snippet.id, name, "not-applicable", digest=digest, reason=tier.reason, reason_ko=tier.reason_ko
                )
                continue
            item = TierItem.from_parent(self, name=name, snippet=self.snippet, tier=tier)
            item.add_marker(getattr(pytest.mark, name))  # -m cluster / -m "not cluster" select a tier
            reason = TIERS[name].skip_reason(ctx, self.snippet, tier)
            if reason:
                item.add_marker(pytest.mark.skip(reason=f"{name} tier: {reason}"))
            yield item


class TierItem(pytest.Item):
    def __init__(self, *, snippet, tier, **kwargs):
        super().__init__(**kwargs)
        self.snippet, self.tier = snippet, tier
        self.environment: dict = {}

    def runtest(self):
        ctx = self.config.stash[CTX_KEY]
        self.environment = TIERS[self.tier.name].run(self.snippet, self.tier, ctx) or {}

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, SnippetFailure):
            return excinfo.value.render()
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.snippet.path, 0, f"{display(self.snippet.path)} [{self.tier.name}]"


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


def _is_controller(config) -> bool:
    """The xdist controller: it collects nothing, runs nothing, and writes the report the workers made."""
    return config.pluginmanager.has_plugin("dsession")


@contextlib.contextmanager
def _lines_kept(config, kept: list[str]):
    """On an xdist worker nobody sees the terminal: keep the lines written meanwhile for the controller."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if not _is_worker(config) or reporter is None:
        yield
        return
    reporter.write_line = lambda line, **markup: kept.append(line)
    try:
        yield
    finally:
        del reporter.write_line  # the class's own method again


def _own_keys(item) -> list[str]:
    """State an item shares beyond fixtures: the cluster tier's chains (sandboxes, clusters, step order), and a
    snippet's one `walkthrough` result, which each walkthrough that has it as a step writes (the last one run
    stands, so walkthroughs sharing a step run on one worker, in the serial order)."""
    if isinstance(item, TierItem) and item.tier.name == "cluster":
        return [CLUSTER_GROUP]
    if isinstance(item, walkthrough_items.WalkthroughItem):
        steps = [f"walkthrough-step:{snippet.id}" for _, snippet in item.steps]
        return [CLUSTER_GROUP, *steps] if item.walk.where == "cluster" else steps
    return []


# First, so the groups are marked before xdist reads the marks (its hook adds the group to each node id).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    ctx = config.stash[CTX_KEY]
    if not _is_worker(config) or config.workerinput.get("workerid") == "gw0":  # one writer
        workers.record_names(config, items)
    changed = []  # the --changed lines, kept on a worker
    with _lines_kept(config, changed):
        selection.select_changed(config, items, ctx)
    if changed:
        config.stash[FROM_WORKERS].update(changed=changed, kept=len(items))
    try:
        grouped = groups.assign(items, Path(config.rootpath), _own_keys)
    except groups.GroupConflict as exc:
        raise pytest.UsageError(str(exc)) from None
    if _is_worker(config):
        size = {nodeid: len(ids) for ids in grouped.values() for nodeid in ids}
        items.sort(key=lambda item: _worker_order(item, ctx, size.get(item.nodeid, 1)))
    else:
        items.sort(key=lambda item: _serial_order(item, ctx))  # stable: the rest keeps its collected order


# The order in which pytest-xdist hands out the work (scripts/test turns off its own reordering, which would
# put every group of two or more items before any single item, a walkthrough included): the longest first, so
# no worker is left with one at the end while the others idle. A worker is given more work while it has two
# items or fewer pending, so what queues behind a long item is short. Serially, the cheap tiers come first.
def _worker_order(item, ctx, group_size: int) -> tuple:
    if isinstance(item, walkthrough_items.WalkthroughItem):
        return (-3, 0 if item.walk.clone else 1)  # a clone=repo walkthrough runs this whole harness: longest
    if isinstance(item, TierItem) and item.tier.name == "cluster":
        return (-2, *_chain_position(item, ctx))  # on a real cluster, the chains are the long ones
    if isinstance(item, TierItem) and "pypi" in item.tier.needs:
        return (-1, 0)
    return (0, -group_size)


def _serial_order(item, ctx) -> tuple:
    if isinstance(item, TierItem) and item.tier.name == "cluster":
        return (2, *_chain_position(item, ctx))  # each chain's steps together and in their order
    if isinstance(item, walkthrough_items.WalkthroughItem):
        return (1, "", 0)
    return (0, "", 0)


def _chain_position(item, ctx) -> tuple[str, int]:
    chain = ctx.manifest.chains[item.snippet.chain]
    return chain.name, chain.steps.index(item.snippet.id)


# Last, after xdist's own hook, which should have carried the groups into the node ids (groups.py).
@pytest.hookimpl(trylast=True, specname="pytest_collection_modifyitems")
def pytest_collection_modifyitems_carry_groups(config, items):
    if _is_worker(config) and config.getvalue("loadgroup"):
        groups.carry_in_node_ids(items)


def pytest_runtest_makereport(item, call):
    if not isinstance(item, TierItem) or call.when not in ("setup", "call"):
        return
    if call.when == "setup" and not item.get_closest_marker("skip"):
        return
    ctx = item.config.stash[CTX_KEY]
    digest = report.sha256(item.snippet.path)
    duration = call.duration if call.when == "call" else 0.0
    if call.excinfo is None:
        status, reason, tail = "passed", None, None
    elif call.excinfo.errisinstance(pytest.skip.Exception):
        reason = str(call.excinfo.value.msg).removeprefix(f"{item.tier.name} tier: ")
        status, tail = "skipped", None
    elif isinstance(call.excinfo.value, SnippetFailure):
        failure = call.excinfo.value
        status, reason, tail = "failed", failure.summary, failure.render()
    else:
        status, reason, tail = "failed", f"engine error: {call.excinfo.exconly()}", None
    ctx.report.tier(
        item.snippet.id,
        item.tier.name,
        status,
        digest=digest,
        reason=reason,
        duration=duration,
        output_tail=tail,
        environment=item.environment,
    )


def pytest_runtest_teardown(item, nextitem):
    if isinstance(item, TierItem):
        following = (
            nextitem.snippet if isinstance(nextitem, TierItem) and nextitem.tier.name == item.tier.name else None
        )
        TIERS[item.tier.name].finish(item.config.stash[CTX_KEY], item.snippet, following)


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # an xdist hook, for -n auto; before xdist's own answer
def pytest_xdist_auto_num_workers(config) -> int | None:
    """One worker more than there are cores, or none for a selection too small to pay for them (workers.py).
    PYTEST_XDIST_AUTO_NUM_WORKERS, when set, is left to xdist."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return workers.count(config)


@pytest.hookimpl(optionalhook=True)  # an xdist hook: without xdist (-p no:xdist) it is never called
def pytest_testnodedown(node, error):
    """xdist controller: a worker is done; take its results, notes and --changed lines."""
    config = node.config
    ctx, received = config.stash[CTX_KEY], config.stash[FROM_WORKERS]
    output = getattr(node, "workeroutput", {}).get(OUTPUT_KEY)
    if output is None:
        received["notes"].append(f"worker {node.gateway.id} ended without its results ({error}); the report lacks them")
        return
    ctx.report.absorb(output["report"])
    received["notes"] += output["notes"]
    if output["changed"] is not None and received["changed"] is None:  # every worker selected the same
        received.update(changed=output["changed"], kept=output["kept"])


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    ctx = config.stash.get(CTX_KEY, None)
    if ctx is None:
        return
    received = config.stash[FROM_WORKERS]
    worker = _is_worker(config)
    if worker:
        ctx.session.say = received["notes"].append
    elif _is_controller(config):
        ctx.session.notes += received["notes"]  # the workers' notes, printed once, here
        if received["kept"] == 0 and session.exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
            session.exitstatus = pytest.ExitCode.OK  # --changed kept nothing: the workers said why
    ctx.session.notes += runtimes.MADE  # an SDK runtime an item of this process made (snipcheck.runtimes)
    runtimes.MADE.clear()
    try:
        if not _is_controller(config):  # the controller ran no item, so no tier has anything to finish
            for tier in TIERS.values():
                tier.finish(ctx, None, None)
    finally:
        if ctx.session.notes and not worker:
            _end_progress_line(config)
        ctx.session.close()
    if worker:
        config.workeroutput[OUTPUT_KEY] = {"report": ctx.report.part(), **received}
    elif ctx.report.snippets and not config.option.collectonly:
        ctx.report.tools.update(_tool_versions(ctx))
        ctx.report.write()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    ctx = config.stash.get(CTX_KEY, None)
    received = config.stash.get(FROM_WORKERS, {})
    if _is_controller(config):
        for line in received.get("changed") or []:  # a serial run printed these at collection
            terminalreporter.write_line(line)
    if ctx is not None and ctx.report.snippets:
        terminalreporter.write_line(f"snippet report: {display(ctx.options.report)}")
        if ctx.report.replaced:
            terminalreporter.write_line(
                f"{display(ctx.options.report)}: {ctx.report.replaced}; replaced by this session's results alone"
                " (the earlier ones could not be kept)",
                yellow=True,
            )


def _end_progress_line(config) -> None:
    """The notes go to stderr while pytest's progress line (`....  [100%]`) still waits for its newline."""
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    if terminal is not None and terminal._tw.width_of_current_line:
        terminal._tw.line()
        terminal._tw.flush()


def _tool_versions(ctx: Context) -> dict:
    """The versions the report states, asked all at once: a pytest run in a test waits for them at its end."""
    commands: dict[str, tuple[list[str], str]] = {
        "kubectl": (["kubectl", "version", "--client"], ""),
        "shellcheck": (["shellcheck", "--version"], "version:"),
        "docker": (["docker", "--version"], ""),
        "kind": (["kind", "version"], ""),
    }
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        asked = {name: pool.submit(needs.version_of, argv, pick) for name, (argv, pick) in commands.items()}
    versions: dict[str, str | None] = {}
    for runtime in ("kfp-v1", "kfp-v2"):  # None: that venv is absent
        python = ctx.python_of(runtime)
        versions[runtime] = needs.installed_version(python, "kfp") if python.exists() else None
    versions.update((name, future.result()) for name, future in asked.items())
    return versions
