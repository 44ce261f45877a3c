"""A walkthrough from page to report: its steps resolved to snippets, both attempts (the second is a reader
who retries in the same HOME and working folder), and the report entries of format 2.

A walkthrough needs what its steps declare, in their local tier or in their `walkthrough:` key (pypi for an SDK
install, whose run on its own would repeat the walkthrough's first step: the same fresh HOME and empty folder).

With --update-expected, a step's `walkthrough.expect.output_file` is refreshed from the first attempt (the fresh
reader) once everything else of that step passed, as the local tier does (compare.refresh_output_file); the
second attempt is then compared with the refreshed file. Refused when the CI variable is set.
"""

from __future__ import annotations

import subprocess

from .. import compare, execute, needs, report, runner
from ..errors import ManifestError
from ..manifest import MANIFEST_NAME, Expect, Manifest, load_group
from ..reader import cleanroom
from . import attempt, check, nesting
from .page import Walkthrough

ATTEMPTS = 2
SHELL_LANGS = {"bash"}


def resolve(walk: Walkthrough, ctx) -> list:
    """[(step, snippet)] in page order; loads the groups the steps come from when not loaded yet."""
    resolved = []
    prefix = ctx.layout.snippets + "/"
    for step in walk.steps:
        if not step.target.startswith(prefix):
            raise ManifestError(
                walk.page, step.line, f"a walkthrough step embeds {step.target}, which is not under {prefix}"
            )
        snippet_id = step.target[len(prefix) :]
        snippet = _snippet(snippet_id, ctx)
        if snippet is None:
            raise ManifestError(
                walk.page,
                step.line,
                f"{step.target} has no entry in a checks.yaml, so the walkthrough does not know how to check it",
            )
        if step.kind == "shell" and snippet.lang not in SHELL_LANGS:
            raise ManifestError(
                walk.page,
                step.line,
                f"a shell block embeds {step.target}, a {snippet.lang} file; "
                'give the block the file\'s language and a title="name" to save it',
            )
        if step.kind == "file" and snippet.walkthrough.expect != Expect():
            raise ManifestError(
                snippet.manifest,
                snippet.walkthrough.line,
                f"{snippet.path.name} is saved by the "
                "walkthrough, not run; put walkthrough.expect on the step that runs it",
            )
        resolved.append((step, snippet))
    return resolved


def _snippet(snippet_id: str, ctx):
    if snippet_id not in ctx.manifest.snippets:
        group = snippet_id.rpartition("/")[0]
        path = ctx.layout.snippets_dir / group / MANIFEST_NAME
        if path.is_file():
            loaded: Manifest = load_group(ctx.layout.snippets_dir, path)
            for key in ("snippets", "companions"):
                for name, value in getattr(loaded, key).items():
                    getattr(ctx.manifest, key).setdefault(name, value)
    return ctx.manifest.snippets.get(snippet_id)


def skip_reason(walk: Walkthrough, steps) -> tuple[str, str | None] | None:
    """(English, Korean) reason this walkthrough cannot run here, or None."""
    inside = nesting.skip_reason(page_of(walk))
    if inside:
        return inside
    wanted = []
    for _, snippet in steps:
        local = snippet.tiers.get("local")
        declared = (local.needs if local is not None and local.applies else ()) + snippet.walkthrough.needs
        wanted += [need for need in declared if need not in wanted]
    missing = needs.missing(wanted)
    return (missing, None) if missing else None


def run(walk: Walkthrough, steps, ctx) -> dict:
    """Both attempts; records the report entries; raises the first WalkthroughFailure, else returns the entry."""
    updating = bool(ctx.options.update_expected) and any(s.walkthrough.expect.output_file for _, s in steps)
    refused = compare.update_refusal() if updating else None
    if refused:
        raise ManifestError(walk.page, walk.line, f"walkthrough {walk.id}: {refused}")
    try:
        room = cleanroom.create(clone=ctx.layout.root if walk.clone else None)
    except subprocess.CalledProcessError as exc:
        said = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise ManifestError(
            walk.page,
            walk.line,
            f"clone=repo: git clone of {ctx.layout.root} failed" + (f": {said[-1]}" if said else ""),
        ) from None
    if walk.clone:  # it can start this repository's harness, which must not start this walkthrough again
        room.marks = nesting.variables(page_of(walk))
    prepared = attempt.prepare(steps)
    runs, failure, updates = [], None, {}
    for number in range(1, ATTEMPTS + 1):
        done = attempt.run(room, prepared, number, confine=execute.confinement(ctx))
        refreshing = updating and number == 1
        failure = check.first_failure(done, steps, ctx, walk, with_output_file=not refreshing)
        if refreshing:
            updates = refresh_expected(done, steps, ctx, failure)
        runs.append((done, failure))
        if failure is not None:
            break
    entry = record(walk, steps, ctx, runs, failure, updates)
    if failure is not None:
        failure.details.append(
            f"session kept for debugging: {room.root} (HOME: home/, working folder: work/, "
            "attempt N's driver: log-N.sh, each step's output: log-N/)"
        )
        raise failure
    room.remove()
    return entry


def refresh_expected(done, steps, ctx, failure) -> dict[str, dict]:
    """Refresh the expected-output files of the steps that passed everything else (those before the failing
    one); snippet id -> the update (file, diff, note) of each file that changed."""
    passed = failure.step - 1 if failure is not None else len(steps)
    updates = {}
    for (_, snippet), ran in list(zip(steps, done.steps, strict=True))[:passed]:
        expect = snippet.walkthrough.expect
        if expect.output_file:
            shown_group = ctx.layout.snippet_target(snippet.group)
            update = compare.refresh_output_file(snippet.path.parent, expect, shown_group, ran.stdout)
            if update:
                updates[snippet.id] = update
    return updates


def environment(walk: Walkthrough, confine: list[str] | None = None) -> dict:
    """The report's account of the reader's session; confine as the session ran (None: it did not run)."""
    added = {**(nesting.disclosed() if walk.clone else {}), **runner.adds(confine)}
    shown = {"harness_adds": added} if added else {}
    return {"walkthrough": walk.id, "page": page_of(walk), **cleanroom.machine(), **shown, "attempts": ATTEMPTS}


def record(walk: Walkthrough, steps, ctx, runs, failure, updates=None) -> dict:
    """The per-step `walkthrough` tier results and the top-level `walkthroughs` entry; a step whose expected
    output was refreshed carries the update in its environment, as a local tier result does."""
    failed_at = failure.step if failure is not None else 0
    failed_id = steps[failed_at - 1][1].id if failed_at else None
    env = environment(walk, execute.confinement(ctx))
    for n, (_, snippet) in enumerate(steps, 1):
        seconds = sum(done.steps[n - 1].duration for done, _ in runs)
        if failure is None:
            status, reason, tail = "passed", None, None
        elif n == failed_at:
            status, reason, tail = "failed", f"attempt {failure.attempt}: {failure.summary}", failure.render()
        elif n < failed_at:
            status, reason, tail = (
                "skipped",
                (f"ran, but the walkthrough failed later, at {failed_id} (attempt {failure.attempt})"),
                None,
            )
        else:
            status, reason, tail = "skipped", f"an earlier step of the walkthrough failed: {failed_id}", None
        update = (updates or {}).get(snippet.id)
        _tier(ctx, snippet, status, reason, seconds, tail, {**env, "expected_output_update": update} if update else env)
    entry = _entry(
        walk,
        steps,
        env,
        "failed" if failure else "passed",
        f"attempt {failure.attempt}: {failure.summary}" if failure else None,
        None,
        sum(done.duration for done, _ in runs),
    )
    entry["runs"] = [_run_entry(done, fail, steps) for done, fail in runs]
    if len(runs) < ATTEMPTS:
        entry["runs"].append(
            {"attempt": ATTEMPTS, "status": "skipped", "duration": 0.0, "failed_step": None, "output_tail": None}
        )
    ctx.report.walkthrough(walk.id, entry)
    return entry


def record_skipped(walk: Walkthrough, steps, ctx, reason: str, reason_ko: str | None) -> None:
    env = environment(walk)
    for _, snippet in steps:
        _tier(ctx, snippet, "skipped", reason, 0.0, None, env, reason_ko)
    entry = _entry(walk, steps, env, "skipped", reason, reason_ko, 0.0)
    entry["runs"] = []
    ctx.report.walkthrough(walk.id, entry)


def _tier(ctx, snippet, status, reason, seconds, tail, env, reason_ko=None) -> None:
    digest = report.sha256(snippet.path)
    ctx.report.snippet(snippet.id, digest, ctx.pages_of(snippet))
    ctx.report.tier(
        snippet.id,
        check.TIER,
        status,
        digest=digest,
        reason=reason,
        reason_ko=reason_ko,
        duration=seconds,
        output_tail=tail,
        environment=env,
    )


def _entry(walk, steps, env, status, reason, reason_ko, seconds) -> dict:
    return {
        "page": page_of(walk),
        "line": walk.line,
        "name": walk.name,
        "where": walk.where,
        "chain": walk.chain,
        "status": status,
        "reason": reason,
        "reason_ko": reason_ko,
        "duration": round(seconds, 3),
        "environment": {k: v for k, v in env.items() if k in ("os", "python", "shared_between_runs", "harness_adds")},
        "steps": [snippet.id for _, snippet in steps],
    }


def _run_entry(done, fail, steps) -> dict:
    return {
        "attempt": done.number,
        "status": "failed" if fail else "passed",
        "duration": round(done.duration, 3),
        "failed_step": steps[fail.step - 1][1].id if fail else None,
        "output_tail": fail.render() if fail else None,
    }


def page_of(walk: Walkthrough) -> str:
    """The page as the report names it, relative to the repository: 'docs/pipelines-sdk.md'."""
    return walk.page.relative_to(walk.docs.parent).as_posix()
