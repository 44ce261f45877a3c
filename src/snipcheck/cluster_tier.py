"""Cluster tier: each chain's steps in order, in one sandbox, against a kind cluster it always deletes.

A chain starts lazily at its first step: one sandbox (working folder with the group and its includes,
HOME, KUBECONFIG) and one unique kind cluster name. The chain's own snippets install kind and create
the cluster; a step is recognised as creating or deleting the cluster by the text `kind create cluster`
or `kind delete cluster` in the snippet. After the create step the harness checks the kind release and
the node image the chain pins. A failed step skips the rest of its chain and leaves evidence. The
cluster is deleted when the chain ends, at session end, and at interpreter exit (Ctrl+C, SIGTERM).
"""
from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from . import background, compare, evidence, execute, kind_cluster, needs, sandbox
from .errors import SnippetFailure, display
from .manifest import Chain

CREATES = re.compile(r"^[^#\n]*\bkind\s+create\s+cluster\b", re.MULTILINE)
DELETES = re.compile(r"^[^#\n]*\bkind\s+delete\s+cluster\b", re.MULTILINE)
NO_CONTEXT = "--cluster=existing needs --context NAME (refusing to guess a context)"
# CI jobs that must not start clusters (pull requests, the Pages build) set this; the scheduled cluster
# workflow does not. Its results are joined into the site's report with `merge` below.


@dataclass
class ChainRun:
    chain: Chain
    box: sandbox.Sandbox
    cluster: kind_cluster.Cluster
    exports: dict = field(default_factory=dict)
    kept: list = field(default_factory=list)       # background processes kept to the chain's end
    passed: list = field(default_factory=list)     # ids of the steps that passed
    failed: str | None = None                      # id of the step that failed
    evidence: Path | None = None
    created: bool = False                          # a create step has started (a cluster may exist)
    setup_error: str | None = None                 # the sandbox could not be prepared (existing context)


_RUNS: dict[tuple[int, str], ChainRun] = {}
_NOTES: list[str] = []     # printed at session end, when output is no longer captured


def step_role(snippet) -> str | None:
    """'create-cluster' or 'delete-cluster' when the snippet's text runs that kind command, else None."""
    text = snippet.path.read_text(encoding="utf-8", errors="replace")
    if CREATES.search(text):
        return "create-cluster"
    if DELETES.search(text):
        return "delete-cluster"
    return None


def skip_reason(ctx, chain: Chain | None) -> str | None:
    """Why a chain cannot run on this machine, in the exact words of the missing need; else None."""
    if chain is None:
        return None
    if ctx.options.cluster == "existing":
        reason = NO_CONTEXT if not ctx.options.context else \
            needs.missing([n for n in chain.needs if n not in ("docker", "kind")])
    else:
        reason = needs.missing(chain.needs) or needs.short_of(chain.resources)
    if reason:
        ctx.report.chain(chain.name, status="skipped", reason=reason, kind=chain.kind,
                         node_image=chain.node_image, kubernetes=None, evidence=None)
    return reason


def run(snippet, tier, ctx):
    """Run one step of a chain; raises SnippetFailure with evidence when it fails."""
    chain = ctx.manifest.chains[snippet.chain]
    state = _chain_run(ctx, chain)
    if state.failed:
        pytest.skip(f"an earlier step of chain {chain.name} failed: {state.failed}")
    role = step_role(snippet)
    if not state.cluster.owned and role:
        pytest.skip(f"--cluster=existing --context {ctx.options.context}: this {role} step is not run; "
                    "the existing cluster is used and never created or deleted")
    if state.setup_error:
        _fail(ctx, state, snippet, tier, state.setup_error)
    if role == "create-cluster":
        state.created = True
    if tier.background:
        _run_background(ctx, state, snippet, tier)
    else:
        _run_foreground(ctx, state, snippet, tier)
    if role == "create-cluster":
        problems = kind_cluster.check_created(state.cluster, chain.kind, chain.node_image)
        ctx.report.chain(chain.name, status="running", reason=None, **_found(state), evidence=None)
        if problems:
            _fail(ctx, state, snippet, tier, "; ".join(problems))
    state.passed.append(snippet.id)
    return _environment(state)


def _chain_run(ctx, chain: Chain) -> ChainRun:
    key = (id(ctx), chain.name)
    if key not in _RUNS:
        groups = [ctx.layout.snippets_dir / g for g in (chain.group, *chain.include)]
        box = sandbox.create(groups, prefix=f"snipcheck-{chain.name}-")
        if ctx.options.cluster == "existing":
            cluster = kind_cluster.existing(box.env(), box.root)
            problem = kind_cluster.kubeconfig_of_context(ctx.options.context, box.kubeconfig, _user_env())
            setup_error = f"could not read context {ctx.options.context!r}: {problem}" if problem else None
        else:
            cluster = kind_cluster.for_chain(chain.name, box.env(), box.root, keep=ctx.options.keep_cluster)
            setup_error = None
        _RUNS[key] = ChainRun(chain, box, cluster, setup_error=setup_error)
    return _RUNS[key]


def _user_env() -> dict:
    # Only for --cluster=existing: the one place the user's own kubeconfig is read (never written).
    return dict(os.environ)


def _extra_env(state: ChainRun) -> dict:
    extra = {"KIND_CLUSTER_NAME": state.cluster.name} if state.cluster.name else {}
    return {**extra, **state.exports}


def _run_foreground(ctx, state: ChainRun, snippet, tier) -> None:
    try:
        execution = execute.run(snippet, tier, ctx, box=state.box, extra_env=_extra_env(state))
    except execute.RuntimeMissing as exc:
        _fail(ctx, state, snippet, tier, str(exc))
    done = execution.result
    if done.timed_out:
        _fail(ctx, state, snippet, tier, f"did not finish within {tier.timeout:g} s; its process group was "
              "killed", done, command=execution.shown_command)
    mismatches = compare.expectations(tier.expect, exit_code_received=done.exit_code, stdout=done.stdout,
                                      stderr=done.stderr, workdir=state.box.workdir,
                                      group_dir=snippet.path.parent,
                                      shown_group=ctx.layout.snippet_target(snippet.group))
    if mismatches:
        details = [row for m in mismatches for row in m.details]
        _fail(ctx, state, snippet, tier, "; ".join(m.summary for m in mismatches), done, details,
              command=execution.shown_command)


def _run_background(ctx, state: ChainRun, snippet, tier) -> None:
    spec = tier.background
    try:
        argv = execute.argv_of(snippet, tier, ctx)
    except execute.RuntimeMissing as exc:
        _fail(ctx, state, snippet, tier, str(exc))
    env = execute.env_of(snippet, tier, ctx, state.box, _extra_env(state))
    log = state.box.root / "logs" / f"{snippet.path.name}.log"
    process = background.start(argv, cwd=state.box.workdir, env=env, log=log)
    try:
        address = background.wait_ready(process, spec.ready, spec.deadline)
    except background.NotReady as exc:
        background.stop(process)
        _fail(ctx, state, snippet, tier, f"the background step never became ready: {exc}",
              stdout=process.output(), command=" ".join(argv))
    except BaseException:
        background.stop(process)
        raise
    # A step that declares output to check is a script that starts the forward with `&` and exits once
    # it answers: wait for that exit, then check it like any step; what it started stays in its group.
    checked = bool(tier.expect.stdout or tier.expect.stderr or tier.expect.output_file or tier.expect.files)
    if checked and not background.wait_exit(process, tier.timeout):
        background.stop(process)
        _fail(ctx, state, snippet, tier, f"declares expected output, so it must exit on its own once ready, "
              f"but it still ran after {tier.timeout:g} s", stdout=process.output(), command=" ".join(argv))
    if spec.keep:
        state.kept.append(process)
    else:
        background.stop(process)
    if checked:
        mismatches = compare.expectations(tier.expect, exit_code_received=process.exit_code,
                                          # one log holds both streams of a background step
                                          stdout=process.output(), stderr=process.output(),
                                          workdir=state.box.workdir)
        if mismatches:
            _fail(ctx, state, snippet, tier, "; ".join(m.summary for m in mismatches),
                  stdout=process.output(), command=" ".join(argv),
                  details=[row for m in mismatches for row in m.details])
    if spec.export:
        state.exports[spec.export] = address


def _fail(ctx, state: ChainRun, snippet, tier, summary: str, done=None, details=(), stdout=None, command=None):
    state.failed = snippet.id
    lines = list(details)
    if state.created or not state.cluster.owned:
        root = ctx.options.evidence_dir or ctx.options.report.parent / "evidence"
        state.evidence = evidence.collect(state.cluster, root, state.chain.name)
        lines.append(f"cluster evidence (kind export logs, kubectl get events, kubectl describe pods): "
                     f"{display(state.evidence)}")
    ctx.report.chain(state.chain.name, status="failed", reason=f"{snippet.id}: {summary}", **_found(state),
                     evidence=display(state.evidence) if state.evidence else None)
    line = execute.failure_line(snippet, done.stderr) if done else 1
    raise SnippetFailure(
        location=f"{ctx.layout.snippet_target(snippet.id)}:{line}", tier="cluster", summary=summary,
        pages=ctx.pages_of(snippet), command=command or (done.command if done else None),
        exit_code=done.exit_code if done and not done.timed_out else None,
        stdout=done.stdout if done else stdout, stderr=done.stderr if done else None, details=lines)


def _found(state: ChainRun) -> dict:
    """kind, node image and Kubernetes version as checked on the cluster, else as the chain pins them."""
    checks = state.cluster.checks
    return {"kind": checks.get("kind") or state.chain.kind,
            "node_image": checks.get("node_image") or state.chain.node_image,
            "kubernetes": checks.get("kubernetes")}


def _environment(state: ChainRun) -> dict:
    found = {"chain": state.chain.name, **{k: v for k, v in state.cluster.checks.items() if v}}
    if state.cluster.name:
        found["cluster"] = state.cluster.name
    return found


def finish_chain(ctx, name: str) -> None:
    """The chain's end: stop what it kept running, delete its cluster (unless kept), record its status."""
    state = _RUNS.pop((id(ctx), name), None)
    if state is None:
        return
    with _signals_deferred():
        for process in state.kept:
            background.stop(process)
        _end_cluster(state)
    status, reason = _status(state)
    if status != "failed":
        ctx.report.chain(name, status=status, reason=reason, **_found(state), evidence=None)
    if not state.cluster.keep:
        state.box.remove()


def _end_cluster(state: ChainRun) -> None:
    cluster = state.cluster
    if not cluster.owned:
        return
    if cluster.keep:
        _NOTES.append(f"{kind_cluster.how_to_delete(cluster)} (its kubeconfig: {state.box.kubeconfig})")
        return
    done = kind_cluster.delete(cluster)
    if done is not None and done.exit_code != 0 and state.created:
        _NOTES.append(f"could not delete kind cluster {cluster.name!r}: `{done.command}` exited with code "
                      f"{done.exit_code}; delete it with: kind delete cluster --name {cluster.name}")


def _status(state: ChainRun) -> tuple[str, str | None]:
    if state.failed:
        return "failed", None
    if len(state.passed) == len(state.chain.steps):
        return "passed", None
    return "incomplete", f"{len(state.passed)} of {len(state.chain.steps)} steps ran and passed"


def finish_all(ctx) -> None:
    """Session end: finish every chain still open (an interrupted run), then print what was kept."""
    for key_ctx, name in list(_RUNS):
        if key_ctx == id(ctx):
            finish_chain(ctx, name)
    for note in _NOTES:
        print(f"snipcheck: {note}", file=sys.stderr)
    _NOTES.clear()


@contextlib.contextmanager
def _signals_deferred():
    """Let a cleanup finish: a Ctrl+C or SIGTERM arriving meanwhile is raised once it is done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if received:
            raise KeyboardInterrupt(f"signal {received[0]} during cluster cleanup")


def merge_cluster_results(source: Path, into: Path) -> int:
    """Copy the chains and the cluster tier entries of one report into another; how many entries."""
    from . import report
    taken, present = report.load(source), report.load(into)["snippets"]
    combined = report.Report(into)
    combined.chains = dict(taken["chains"])
    for snippet_id, entry in taken["snippets"].items():
        # A snippet removed since the cluster run has no place on the site any more.
        if snippet_id in present and "cluster" in entry.get("tiers", {}):
            combined.snippets[snippet_id] = {"tiers": {"cluster": entry["tiers"]["cluster"]}}
    combined.write()
    return len(combined.snippets)


def main(argv: list[str]) -> int:
    """`python -m snipcheck.cluster_tier merge CLUSTER_REPORT INTO_REPORT` (used by the Pages workflow)."""
    if len(argv) != 3 or argv[0] != "merge":
        print("usage: python -m snipcheck.cluster_tier merge CLUSTER_REPORT INTO_REPORT", file=sys.stderr)
        return 2
    from .report import ReportError
    try:
        count = merge_cluster_results(Path(argv[1]), Path(argv[2]))
    except ReportError as exc:
        print(f"snipcheck: {exc}", file=sys.stderr)
        return 1
    print(f"merged the cluster tier of {count} snippet(s) from {argv[1]} into {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
