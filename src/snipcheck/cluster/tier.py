"""Cluster tier: each chain's steps in order, in one sandbox, against a kind cluster it always deletes.

A chain starts lazily at its first step: one sandbox (working folder with the group and its includes,
HOME, KUBECONFIG) and one unique kind cluster name. The chain's own snippets install kind and create
the cluster; a step is recognised as creating or deleting the cluster by the text `kind create cluster`
or `kind delete cluster` in the snippet. After the create step the harness checks the kind release and
the node image the chain pins. A failed step skips the rest of its chain and leaves evidence. The
cluster is deleted when the chain ends, and by the session's cleanup (its end, Ctrl+C, SIGTERM).

The tier's interface, as every tier's: skip_reason (asks, writes nothing), run, finish.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .. import compare, execute, needs, runner, sandbox
from ..errors import SnippetFailure, display
from ..manifest import Chain
from . import background, evidence, kind_cluster, ui_walk

CREATES = re.compile(r"^[^#\n]*\bkind\s+create\s+cluster\b", re.MULTILINE)
DELETES = re.compile(r"^[^#\n]*\bkind\s+delete\s+cluster\b", re.MULTILINE)
NO_CONTEXT = "--cluster=existing needs --context NAME (refusing to guess a context)"


@dataclass
class ChainRun:
    chain: Chain
    box: sandbox.Sandbox
    cluster: kind_cluster.Cluster
    exports: dict = field(default_factory=dict)
    kept: list = field(default_factory=list)  # background processes kept to the chain's end
    passed: list = field(default_factory=list)  # ids of the steps that passed
    failed: str | None = None  # id of the step that failed
    evidence: Path | None = None
    created: bool = False  # a create step has started (a cluster may exist)
    setup_error: str | None = None  # the sandbox could not be prepared (existing context)


@dataclass
class TierState:
    """What the cluster tier keeps on the session: open chains, the clusters it named, background groups."""

    runs: dict = field(default_factory=dict)  # chain name -> ChainRun
    clusters: kind_cluster.Clusters = field(default_factory=kind_cluster.Clusters)
    processes: background.Processes = field(default_factory=background.Processes)


def _state(ctx) -> TierState:
    def new() -> TierState:
        state = TierState()
        # Registered once, so the session's end (also after Ctrl+C or SIGTERM) stops and deletes what is left.
        ctx.session.on_close("stop background steps", state.processes.stop_all)
        ctx.session.on_close("delete kind clusters", lambda: ctx.session.notes.extend(state.clusters.delete_all()))
        return state

    return ctx.session.state_of("cluster", new)


def step_role(snippet) -> str | None:
    """'create-cluster' or 'delete-cluster' when the snippet's text runs that kind command, else None."""
    text = snippet.path.read_text(encoding="utf-8", errors="replace")
    if CREATES.search(text):
        return "create-cluster"
    if DELETES.search(text):
        return "delete-cluster"
    return None


def chain_skip_reason(ctx, chain: Chain | None) -> str | None:
    """Why a chain cannot run on this machine, in the exact words of the missing need; else None."""
    if chain is None:
        return None
    if ctx.options.cluster == "existing":
        return (
            NO_CONTEXT
            if not ctx.options.context
            else needs.missing([n for n in chain.needs if n not in ("docker", "kind")])
        )
    return needs.missing(chain.needs) or needs.short_of(chain.resources)


def skip_reason(ctx, snippet, tier) -> str | None:
    """Why this step cannot run here: its chain's reason first, then its own needs. Writes nothing."""
    return (
        chain_skip_reason(ctx, ctx.manifest.chains.get(snippet.chain))
        or needs.missing(tier.needs)
        or ui_walk.missing(tier.ui_walk)
    )


def run(snippet, tier, ctx):
    """Run one step of a chain; raises SnippetFailure with evidence when it fails."""
    chain = ctx.manifest.chains[snippet.chain]
    state = _chain_run(ctx, chain)
    if state.failed:
        pytest.skip(f"an earlier step of chain {chain.name} failed: {state.failed}")
    role = step_role(snippet)
    if not state.cluster.owned and role:
        pytest.skip(
            f"--cluster=existing --context {ctx.options.context}: this {role} step is not run; "
            "the existing cluster is used and never created or deleted"
        )
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
    if tier.ui_walk:
        _walk_ui(ctx, state, snippet, tier)
    state.passed.append(snippet.id)
    return _environment(state)


def _chain_run(ctx, chain: Chain) -> ChainRun:
    state = _state(ctx)
    if chain.name not in state.runs:
        groups = [ctx.layout.snippets_dir / g for g in chain.folders]  # its group, includes, joining groups
        box = sandbox.create(groups, prefix=f"snipcheck-{chain.name}-")
        if ctx.options.cluster == "existing":
            cluster = kind_cluster.existing(box.env(), box.root)
            problem = kind_cluster.kubeconfig_of_context(ctx.options.context, box.kubeconfig, _user_env())
            setup_error = f"could not read context {ctx.options.context!r}: {problem}" if problem else None
        else:
            cluster = state.clusters.for_chain(chain.name, box.env(), box.root, keep=ctx.options.keep_cluster)
            setup_error = None
        state.runs[chain.name] = ChainRun(chain, box, cluster, setup_error=setup_error)
    return state.runs[chain.name]


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
        _fail(
            ctx,
            state,
            snippet,
            tier,
            f"did not finish within {tier.timeout:g} s; its process group was killed",
            done,
            command=execution.shown_command,
        )
    mismatches = compare.expectations(
        tier.expect,
        exit_code_received=done.exit_code,
        stdout=done.stdout,
        stderr=done.stderr,
        workdir=state.box.workdir,
        group_dir=snippet.path.parent,
        shown_group=ctx.layout.snippet_target(snippet.group),
    )
    if mismatches:
        details = [row for m in mismatches for row in m.details]
        _fail(
            ctx,
            state,
            snippet,
            tier,
            "; ".join(m.summary for m in mismatches),
            done,
            details,
            command=execution.shown_command,
        )


def _run_background(ctx, state: ChainRun, snippet, tier) -> None:
    spec = tier.background
    try:
        argv = execute.argv_of(snippet, tier, ctx)
    except execute.RuntimeMissing as exc:
        _fail(ctx, state, snippet, tier, str(exc))
    env = execute.env_of(snippet, tier, ctx, state.box, _extra_env(state))
    if shutil.which(argv[0], path=env.get("PATH")) is None:
        _fail(ctx, state, snippet, tier, f"could not start: {argv[0]} not found on the snippet's PATH (exit code 127)")
    log = state.box.root / "logs" / f"{snippet.path.name}.log"
    processes = _state(ctx).processes
    process = processes.start(argv, cwd=state.box.workdir, env=env, log=log)
    try:
        address = background.wait_ready(process, spec.ready, spec.deadline)
    except background.NotReady as exc:
        processes.stop(process)
        _fail(
            ctx,
            state,
            snippet,
            tier,
            f"the background step never became ready: {exc}",
            stdout=process.output(),
            command=" ".join(argv),
        )
    except BaseException:
        processes.stop(process)
        raise
    # A step that declares output to check is a script that starts the forward with `&` and exits once
    # it answers: wait for that exit, then check it like any step; what it started stays in its group.
    checked = bool(tier.expect.stdout or tier.expect.stderr or tier.expect.output_file or tier.expect.files)
    if checked and not background.wait_exit(process, tier.timeout):
        processes.stop(process)
        _fail(
            ctx,
            state,
            snippet,
            tier,
            f"declares expected output, so it must exit on its own once ready, "
            f"but it still ran after {tier.timeout:g} s",
            stdout=process.output(),
            command=" ".join(argv),
        )
    if spec.keep:
        state.kept.append(process)
    else:
        processes.stop(process)
    if checked:
        mismatches = compare.expectations(
            tier.expect,
            exit_code_received=-1 if process.exit_code is None else process.exit_code,
            # one log holds both streams of a background step
            stdout=process.output(),
            stderr=process.output(),
            workdir=state.box.workdir,
        )
        if mismatches:
            _fail(
                ctx,
                state,
                snippet,
                tier,
                "; ".join(m.summary for m in mismatches),
                stdout=process.output(),
                command=" ".join(argv),
                details=[row for m in mismatches for row in m.details],
            )
    if spec.export:
        state.exports[spec.export] = address


def _walk_ui(ctx, state: ChainRun, snippet, tier) -> None:
    """The browser walk the step declares (ui_walk.py); its failure is this step's, with its screenshots kept."""
    reports = ctx.options.report.parent
    outcome = ui_walk.run(
        tier.ui_walk,
        workdir=state.box.workdir,
        exports=state.exports,
        shots_root=reports / "screenshots",
        evidence_root=ctx.options.evidence_dir or reports / "evidence",
    )
    if outcome.problem:
        _fail(
            ctx,
            state,
            snippet,
            tier,
            outcome.problem,
            stdout=outcome.output,
            command=outcome.command,
            details=outcome.details,
        )


def _fail(ctx, state: ChainRun, snippet, tier, summary: str, done=None, details=(), stdout=None, command=None):
    state.failed = snippet.id
    lines = list(details)
    if state.created or not state.cluster.owned:
        root = ctx.options.evidence_dir or ctx.options.report.parent / "evidence"
        state.evidence = evidence.collect(state.cluster, root, state.chain.name)
        lines.append(
            f"cluster evidence (kind export logs, kubectl get events, kubectl describe pods): {display(state.evidence)}"
        )
    ctx.report.chain(
        state.chain.name,
        status="failed",
        reason=f"{snippet.id}: {summary}",
        **_found(state),
        evidence=display(state.evidence) if state.evidence else None,
    )
    line = execute.failure_line(snippet, done.stderr) if done else 1
    raise SnippetFailure(
        location=f"{ctx.layout.snippet_target(snippet.id)}:{line}",
        tier="cluster",
        summary=summary,
        pages=ctx.pages_of(snippet),
        command=command or (done.command if done else None),
        exit_code=done.exit_code if done and not done.timed_out else None,
        stdout=done.stdout if done else stdout,
        stderr=done.stderr if done else None,
        details=lines,
    )


def _found(state: ChainRun) -> dict:
    """kind, node image and Kubernetes version as checked on the cluster, else as the chain pins them."""
    checks = state.cluster.checks
    return {
        "kind": checks.get("kind") or state.chain.kind,
        "node_image": checks.get("node_image") or state.chain.node_image,
        "kubernetes": checks.get("kubernetes"),
    }


def _environment(state: ChainRun) -> dict:
    found = {"chain": state.chain.name, **{k: v for k, v in state.cluster.checks.items() if v}}
    if state.cluster.name:
        found["cluster"] = state.cluster.name
    return found


def finish(ctx, done, following) -> None:
    """After a step: end its chain when the next cluster item belongs to another chain (or none).
    At the session's end (done is None): end every chain still open, and record the chains that were skipped."""
    if done is not None:
        if following is None or following.chain != done.chain:
            _finish_chain(ctx, done.chain)
        return
    for name in list(_state(ctx).runs):
        _finish_chain(ctx, name)
    _record_skipped_chains(ctx)


def _record_skipped_chains(ctx) -> None:
    for chain in ctx.manifest.chains.values():
        results = [ctx.report.snippets.get(step, {}).get("tiers", {}).get("cluster") for step in chain.steps]
        reason = chain_skip_reason(ctx, chain)
        if reason and chain.name not in ctx.report.chains and any(r and r["status"] == "skipped" for r in results):
            ctx.report.chain(
                chain.name,
                status="skipped",
                reason=reason,
                kind=chain.kind,
                node_image=chain.node_image,
                kubernetes=None,
                evidence=None,
            )


def _finish_chain(ctx, name: str) -> None:
    """The chain's end: stop what it kept running, delete its cluster (unless kept), record its status."""
    tier_state = _state(ctx)
    state = tier_state.runs.pop(name, None)
    if state is None:
        return
    # Ctrl+C or SIGTERM meanwhile is raised once all of it is done: the processes stopped, the cluster
    # deleted, the status recorded and the sandbox removed (an interrupt between them would leave one).
    with runner.signals_held():
        for process in state.kept:
            tier_state.processes.stop(process)
        _end_cluster(ctx, state)
        status, reason = _status(state)
        if status != "failed":
            ctx.report.chain(name, status=status, reason=reason, **_found(state), evidence=None)
        if not state.cluster.keep:
            state.box.remove()


def _end_cluster(ctx, state: ChainRun) -> None:
    cluster = state.cluster
    if not cluster.owned:
        return
    if cluster.keep:
        ctx.session.notes.append(f"{kind_cluster.how_to_delete(cluster)} (its kubeconfig: {state.box.kubeconfig})")
        return
    done = kind_cluster.delete(cluster)
    if done is not None and done.exit_code != 0 and state.created:
        ctx.session.notes.append(
            f"could not delete kind cluster {cluster.name!r}: `{done.command}` exited with code "
            f"{done.exit_code}; delete it with: kind delete cluster --name {cluster.name}"
        )


def _status(state: ChainRun) -> tuple[str, str | None]:
    if state.failed:
        return "failed", None
    if len(state.passed) == len(state.chain.steps):
        return "passed", None
    return "incomplete", f"{len(state.passed)} of {len(state.chain.steps)} steps ran and passed"
