"""Cluster tier: each chain's steps in order, in ONE reader's bash session, against a kind cluster it always
deletes.

A chain starts lazily at its first step: a clean reader's room (fresh HOME, a working folder holding the files
the pages have the reader save: its group and its includes) and the walkthroughs' bash session, fed one step
at a time (reader/fed.py), so variables, the working folder and anything a step leaves running carry to the
next step as they do for a reader who pastes the steps into one terminal. The environment is a new login
shell's; the harness adds only KIND_CLUSTER_NAME (a unique name, so a cluster of the user's is never touched
and the harness can always delete its own), which the report states under `harness_adds`.

The chain's own snippets install kind and create the cluster; a step is recognised as creating or deleting the
cluster by the text `kind create cluster` or `kind delete cluster` in the snippet. After the create step the
harness checks the kind release and the node image the chain pins. A port-forward the page has the reader
leave running in a second terminal (`background:` without expected output) is started as a job of the session
and probed until ready; one that is not kept is stopped as Ctrl+C would, before the next step. A failed step
ends the session, skips the rest of its chain and leaves evidence. The cluster is deleted when the chain ends,
and by the session's cleanup (its end, Ctrl+C, SIGTERM).

The tier's interface, as every tier's: skip_reason (asks, writes nothing), run, finish.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .. import compare, execute, needs, runner, sandbox
from ..errors import SnippetFailure, display
from ..manifest import Chain
from ..reader import cleanroom, fed, ready
from . import evidence, kind_cluster, ui_walk

CREATES = re.compile(r"^[^#\n]*\bkind\s+create\s+cluster\b", re.MULTILINE)
DELETES = re.compile(r"^[^#\n]*\bkind\s+delete\s+cluster\b", re.MULTILINE)
NO_CONTEXT = "--cluster=existing needs --context NAME (refusing to guess a context)"
SESSION_MARGIN = 600  # seconds over the chain's step timeouts and readiness deadlines before the session dies
# Where the reader's own settings for Docker are, a reader's shell has them too.
DOCKER_SETTINGS = ("DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY")
# Tests of the orchestration only: folders put first on the reader's PATH (stand-in kind, kubectl, docker).
# Never set for a real run; when set, the report says so under harness_adds.
READER_PATH = "SNIPCHECK_READER_PATH"


@dataclass
class ChainRun:
    chain: Chain
    room: cleanroom.Room
    cluster: kind_cluster.Cluster
    session: fed.FedSession | None = None  # the reader's bash session, started at the first step that runs
    confine: list[str] | None = None  # how that session is confined (runner.confinement), once it started
    exports: dict = field(default_factory=dict)  # addresses of ready port-forwards, for the harness (UI walk)
    ran: list = field(default_factory=list)  # ids of the steps the session ran, in order
    passed: list = field(default_factory=list)  # ids of the steps that passed
    failed: str | None = None  # id of the step that failed
    keep_room: bool = False  # a step failed: the session's folder stays for debugging
    evidence: Path | None = None
    created: bool = False  # a create step has started (a cluster may exist)
    setup_error: str | None = None  # the room could not be prepared (existing context)


@dataclass
class TierState:
    """What the cluster tier keeps on the session: open chains, the clusters it named, background groups."""

    runs: dict = field(default_factory=dict)  # chain name -> ChainRun
    clusters: kind_cluster.Clusters = field(default_factory=kind_cluster.Clusters)

    def close_sessions(self) -> None:
        for run in self.runs.values():
            if run.session is not None:
                run.session.close()


def _state(ctx) -> TierState:
    def new() -> TierState:
        state = TierState()
        # Registered once, so the session's end (also after Ctrl+C or SIGTERM) stops and deletes what is left.
        ctx.session.on_close("end the chains' reader sessions", state.close_sessions)
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
    """Run one step of a chain in the chain's session; raises SnippetFailure with evidence when it fails."""
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
    if tier.env or tier.args:
        _fail(
            ctx,
            state,
            snippet,
            tier,
            "a step of the reader's session takes no env or args: a reader runs the command as the page shows it",
        )
    if role == "create-cluster":
        state.created = True
    _run_step(ctx, state, snippet, tier)
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
        room = cleanroom.create(prefix=f"snipcheck-{chain.name}-")
        sandbox.copy_groups([ctx.layout.snippets_dir / g for g in chain.folders], room.work)
        kubeconfig = room.home / ".kube" / "config"
        kubeconfig.parent.mkdir(parents=True)
        tools_env = {**room.env(), "KUBECONFIG": str(kubeconfig), "PATH": _reader_path(room)}
        if ctx.options.cluster == "existing":
            cluster = kind_cluster.existing(tools_env, room.work)
            problem = kind_cluster.kubeconfig_of_context(ctx.options.context, kubeconfig, _user_env())
            setup_error = f"could not read context {ctx.options.context!r}: {problem}" if problem else None
        else:
            cluster = state.clusters.for_chain(chain.name, tools_env, room.work, keep=ctx.options.keep_cluster)
            setup_error = None
        state.runs[chain.name] = ChainRun(chain, room, cluster, setup_error=setup_error)
    return state.runs[chain.name]


def _user_env() -> dict:
    # Only for --cluster=existing: the one place the user's own kubeconfig is read (never written).
    return dict(os.environ)


def _extra_path() -> list[str]:
    """The folders READER_PATH puts first (the harness's own tests only)."""
    return [p for p in os.environ.get(READER_PATH, "").split(os.pathsep) if p]


def _reader_path(room: cleanroom.Room) -> str:
    """The PATH the harness's own kind, kubectl and docker calls use: where the chain installs them first."""
    return os.pathsep.join([*_extra_path(), str(room.home / ".local" / "bin"), cleanroom.login_path()])


def _docker_settings() -> dict[str, str]:
    """This machine's Docker settings that are set: the chain's session gets them, and the report names them."""
    return {k: os.environ[k] for k in DOCKER_SETTINGS if k in os.environ}


def harness_adds(state: ChainRun) -> dict[str, str]:
    """What the chain's session has that a reader's new shell would not, each with why (for the report)."""
    added = {}
    if state.cluster.name:
        added["KIND_CLUSTER_NAME"] = (
            "a unique cluster name, so no cluster of yours is touched and ours is always deleted"
        )
    if os.environ.get(READER_PATH):
        added["PATH"] = f"{READER_PATH} is set: its folders come first on PATH (stand-ins of the harness's own tests)"
    for name in _docker_settings():
        added[name] = "this machine's Docker setting, so the steps' docker and kind reach the engine checked here"
    added.update(runner.adds(state.confine))
    if state.chain.folders:
        added["files"] = "the working folder starts with the files the pages have the reader save: " + ", ".join(
            f"snippets/{g}/" for g in state.chain.folders
        )
    return added


def _session(ctx, state: ChainRun) -> fed.FedSession:
    if state.session is None:
        env = state.room.env()
        env.update(_docker_settings())
        if _extra_path():
            env["PATH"] = os.pathsep.join([*_extra_path(), env["PATH"]])
        if state.cluster.name:
            env["KIND_CLUSTER_NAME"] = state.cluster.name
        steps = [ctx.manifest.snippets[s].tiers["cluster"] for s in state.chain.steps]
        deadline = sum(t.timeout + (t.background.deadline if t.background else 0) for t in steps) + SESSION_MARGIN
        # sudo cannot become root in a user namespace: a chain with a sudo step gets the marker fallback
        confine = execute.confinement(ctx)
        if "--user" in confine and any("sudo" in t.needs for t in steps):
            confine = []
        state.session = fed.FedSession(state.room, env=env, deadline=deadline, confine=confine)
        state.confine = confine
    return state.session


def _run_step(ctx, state: ChainRun, snippet, tier) -> None:
    spec = tier.background
    checked = bool(tier.expect.stdout or tier.expect.stderr or tier.expect.output_file or tier.expect.files)
    # A forward the reader leaves running in a second terminal is a job of the session; a script that starts
    # one with `&` and exits once it answers (it declares output to check) is an ordinary step.
    kind = spec.step_kind if spec and not checked else "shell"
    session = _session(ctx, state)
    try:
        _, done = session.step(kind, snippet.path, None, tier.timeout, spec)
    except fed.SessionEnded as exc:
        _fail(ctx, state, snippet, tier, str(exc))
    state.ran.append(snippet.id)
    command = f"source {snippet.path.name}" + (" &" if kind != "shell" else "")
    if done.problem:
        _fail(ctx, state, snippet, tier, done.problem, done, command=command)
    if not done.done:
        _fail_step(ctx, state, snippet, tier, done, command)
    if kind == "shell":
        _check_output(ctx, state, snippet, tier, done, command)
    if spec and spec.export:
        state.exports[spec.export] = ready.address_of(spec.ready)


def _check_output(ctx, state, snippet, tier, done, command) -> None:
    mismatches = compare.expectations(
        tier.expect,
        exit_code_received=0,
        stdout=done.stdout,
        stderr=done.stderr,
        workdir=done.cwd or state.room.work,
        group_dir=snippet.path.parent,
        shown_group=ctx.layout.snippet_target(snippet.group),
    )
    if mismatches:
        details = [row for m in mismatches for row in m.details]
        _fail(ctx, state, snippet, tier, "; ".join(m.summary for m in mismatches), done, details, command=command)


def _fail_step(ctx, state, snippet, tier, done, command) -> None:
    """The step ended the session: its exit code, or its deadline."""
    if done.timed_out is not None and tier.background:
        summary = (
            f"declares expected output, so it must exit on its own once ready, but it still ran after "
            f"{done.timed_out:g} s"
        )
    elif done.timed_out is not None:
        summary = f"did not finish within {done.timed_out:g} s; the session was killed"
    elif not done.ran:
        summary = "the session ended before this step started"
    else:
        summary = f"exited with code {done.exit_code}, which ended the reader's session"
        if tier.expect.exit not in (0, None):
            summary += f" (a step of a session must succeed; expect.exit {tier.expect.exit} cannot hold here)"
    _fail(ctx, state, snippet, tier, summary, done, command=command)


def _walk_ui(ctx, state: ChainRun, snippet, tier) -> None:
    """The browser walk the step declares (ui_walk.py); its failure is this step's, with its screenshots kept."""
    reports = ctx.options.report.parent
    outcome = ui_walk.run(
        tier.ui_walk,
        workdir=state.room.work,
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
    """Fail the step (done: what the session's step did, a steplog.StepRun), with the session's earlier steps
    and the cluster's evidence."""
    state.failed = snippet.id
    lines = list(details)
    earlier = [step for step in state.ran if step != snippet.id]
    if earlier:
        lines.append("earlier steps of this session: " + ", ".join(earlier))
    if state.session is not None:
        lines.append(f"the session's folder (HOME: home/, working folder: work/, outputs: log/): {state.room.root}")
        state.keep_room = True
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
        command=command,
        exit_code=done.exit_code if done and done.timed_out is None else None,
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
    found["session"] = "one bash session with the chain's earlier steps, in a fresh HOME and a new login shell's PATH"
    found["harness_adds"] = harness_adds(state)
    if shared := sandbox.shared_between_runs():
        found["shared_between_runs"] = shared
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
    """The chain's end: end its session (and what it left running), delete its cluster (unless kept), record its
    status."""
    tier_state = _state(ctx)
    state = tier_state.runs.pop(name, None)
    if state is None:
        return
    # Ctrl+C or SIGTERM meanwhile is raised once all of it is done: the processes stopped, the cluster
    # deleted, the status recorded and the sandbox removed (an interrupt between them would leave one).
    with runner.signals_held():
        if state.session is not None:
            state.session.close()
        _end_cluster(ctx, state)
        status, reason = _status(state)
        if status != "failed":
            ctx.report.chain(name, status=status, reason=reason, **_found(state), evidence=None)
        if not (state.cluster.keep or state.keep_room):
            state.room.remove()


def _end_cluster(ctx, state: ChainRun) -> None:
    cluster = state.cluster
    if not cluster.owned:
        return
    if cluster.keep:
        ctx.session.notes.append(
            f"{kind_cluster.how_to_delete(cluster)} (its kubeconfig: {state.cluster.env['KUBECONFIG']})"
        )
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
