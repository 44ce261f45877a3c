"""pytest glue: one test item per snippet and tier, skip reasons as marks, the report at the end.

Items are collected from each snippets/<group>/checks.yaml, so a manifest error is reported once, at
its own file and line. Ids read `snippets/<group>/checks.yaml::<file>::<tier>`.
"""

from __future__ import annotations

import atexit
import os
import signal
from pathlib import Path

import pytest

from . import manifest as manifest_mod
from . import needs, report, selection
from .context import Context, Options
from .errors import SnippetFailure, display
from .structure import Layout
from .tiers import TIERS
from .walkthrough import items as walkthrough_items

CTX_KEY = pytest.StashKey[Context]()


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


def pytest_collection_modifyitems(session, config, items):
    ctx = config.stash[CTX_KEY]
    selection.select_changed(config, items, ctx)
    # Cheap tiers first, then the walkthroughs; then each chain's cluster steps together and in their order.

    def order(item):
        if isinstance(item, TierItem) and item.tier.name == "cluster":
            chain = ctx.manifest.chains[item.snippet.chain]
            return (2, chain.name, chain.steps.index(item.snippet.id))
        if isinstance(item, walkthrough_items.WalkthroughItem):
            return (1, "", 0)
        return (0, "", 0)

    items.sort(key=order)  # sort is stable: everything else keeps its collected order


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


def pytest_sessionfinish(session, exitstatus):
    ctx = session.config.stash.get(CTX_KEY, None)
    if ctx is None:
        return
    try:
        for tier in TIERS.values():
            tier.finish(ctx, None, None)
    finally:
        ctx.session.close()
    if ctx.report.snippets and not session.config.option.collectonly:
        ctx.report.tools.update(_tool_versions(ctx))
        ctx.report.write()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    ctx = config.stash.get(CTX_KEY, None)
    if ctx is not None and ctx.report.snippets:
        terminalreporter.write_line(f"snippet report: {display(ctx.options.report)}")


def _tool_versions(ctx: Context) -> dict:
    versions = {
        "kubectl": needs.version_of(["kubectl", "version", "--client"]),
        "shellcheck": needs.version_of(["shellcheck", "--version"], pick="version:"),
        "docker": needs.version_of(["docker", "--version"]),
        "kind": needs.version_of(["kind", "version"]),
    }
    for runtime in ("kfp-v1", "kfp-v2"):
        python = ctx.python_of(runtime)
        versions[runtime] = (
            needs.version_of([str(python), "-c", "import kfp; print(kfp.__version__)"]) if python.exists() else None
        )
    return versions
