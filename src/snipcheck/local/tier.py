"""Local tier: run a snippet on this machine, offline, in a fresh sandbox, and check what it did.

Sandbox policy: after a pass the sandbox is removed; after a failure it is KEPT and its path is printed in
the failure's details, so the files the snippet left (a half-written pipeline YAML) can be looked at. They
live in the system's temp folder (TMPDIR), prefixed `snipcheck-`; remove them when done.

With --update-expected, a run whose exit code and other checks pass rewrites its expected-output file
from the received stdout and prints the diff; refused when the CI variable is set.
The refresh itself is compare.refresh_output_file, shared with the walkthroughs.
"""

from __future__ import annotations

from .. import compare, execute, needs, sandbox
from ..errors import SnippetFailure

TIER = "local"


def run(snippet, tier, ctx) -> dict:
    """Run and check one snippet; raise SnippetFailure with the point-7 details when it misbehaves."""
    updating = bool(ctx.options.update_expected and tier.expect.output_file)
    refused = compare.update_refusal() if updating else None
    if refused:
        raise _failure(snippet, ctx, 1, refused)
    try:
        execution = execute.run(snippet, tier, ctx)
    except execute.RuntimeMissing as exc:
        raise _failure(snippet, ctx, 1, str(exc)) from None
    result = execution.result
    environment = {
        "runtime": execution.runtime,
        **execute.versions(ctx, execution.runtime),
        "duration": round(result.duration, 3),
        **({"shared_between_runs": shared} if (shared := sandbox.shared_between_runs(sandbox.PASSED_THROUGH)) else {}),
    }
    mismatches = (
        []
        if result.timed_out
        else compare.expectations(
            tier.expect,
            exit_code_received=result.exit_code,
            stdout=result.stdout,
            stderr=result.stderr,
            workdir=execution.box.workdir,
            group_dir=snippet.path.parent,
            shown_group=_shown_group(snippet, ctx),
            with_output_file=not updating,
        )
    )
    if result.timed_out or mismatches:
        raise _run_failure(snippet, tier, ctx, execution, mismatches)
    if updating:
        update = compare.refresh_output_file(
            snippet.path.parent, tier.expect, _shown_group(snippet, ctx), result.stdout
        )
        if update:
            environment["expected_output_update"] = update
    execution.box.remove()
    return environment


def _shown_group(snippet, ctx) -> str:
    return ctx.layout.snippet_target(snippet.group)


def _failure(snippet, ctx, line: int, summary: str, **fields) -> SnippetFailure:
    return SnippetFailure(
        location=f"{ctx.layout.snippet_target(snippet.id)}:{line}",
        tier=TIER,
        summary=summary,
        pages=ctx.pages_of(snippet),
        **fields,
    )


def _run_failure(snippet, tier, ctx, execution, mismatches) -> SnippetFailure:
    result = execution.result
    if result.timed_out:
        summary = f"did not finish within {tier.timeout:g} s; its process group was killed"
    else:
        summary = mismatches[0].summary
        last_error = _last_line(result.stderr) if result.exit_code != tier.expect.exit else ""
        summary += f" ({last_error})" if last_error else ""
        summary += f"; and {len(mismatches) - 1} more problem(s), below" if len(mismatches) > 1 else ""
    details = [row for mismatch in mismatches for row in mismatch.details]
    details.append(f"sandbox kept for debugging: {execution.box.root} (working folder: work/)")
    return _failure(
        snippet,
        ctx,
        execute.failure_line(snippet, result.stderr),
        summary,
        command=execution.shown_command,
        exit_code=None if result.timed_out else result.exit_code,
        stdout=result.stdout,
        stderr=result.stderr,
        details=details,
    )


def _last_line(text: str, limit: int = 160) -> str:
    rows = [row.strip() for row in text.splitlines() if row.strip()]
    return (rows[-1][:limit] + ("…" if len(rows[-1]) > limit else "")) if rows else ""


def skip_reason(ctx, snippet, tier) -> str | None:
    """Why this item cannot run here (a missing need), or None. Writes nothing."""
    return needs.missing(tier.needs)


def finish(ctx, done, following) -> None:
    """Nothing outlives one item of this tier."""
