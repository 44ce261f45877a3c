"""Checking an attempt: each step's outcome against its `walkthrough:` expectations (compare.py), and the
failure as a person reads it: the page line, the snippet, the session's earlier steps, the command, the
exit code and the output tails."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import compare, execute
from ..errors import SnippetFailure, display
from ..reader.steplog import StepRun
from .attempt import AttemptRun

TIER = "walkthrough"
COMMAND_LINES = 6  # lines of a step's text shown as "command"


@dataclass
class WalkthroughFailure(SnippetFailure):
    """A step of a walkthrough did not do what the page promises. Rendered like SnippetFailure, plus where."""

    page_location: str = ""  # "docs/x.md:52": the step's block on the page
    walkthrough: str = ""  # "pipelines-sdk:kfp-v2 (docs/pipelines-sdk.md:40)"
    attempt: int = 1
    step: int = 0  # 1-based
    steps: int = 0
    earlier: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = SnippetFailure.render(self).splitlines()
        retry = " (the reader who retries, in the same HOME and folder)" if self.attempt == 2 else ""
        where = [
            f"  walkthrough: {self.walkthrough}, attempt {self.attempt} of 2{retry}, in a clean reader's shell",
            f"  step {self.step} of {self.steps}, on the page at {self.page_location}",
        ]
        if self.earlier:
            where += ["  earlier steps of this session:"] + [f"    {row}" for row in self.earlier]
        else:
            where.append("  earlier steps of this session: (none: this is the first step)")
        return "\n".join(lines[:1] + where + lines[1:])


def command_of(step, snippet) -> str:
    """The step as the reader pastes it (its lines without comments), or what saving the file means."""
    if step.kind == "file":
        return f"(save the block as {step.name} in the current folder)"
    rows = [
        row
        for row in snippet.path.read_text(encoding="utf-8").splitlines()
        if row.strip() and not row.lstrip().startswith("#")
    ]
    shown = rows[:COMMAND_LINES] + (
        [f"... ({len(rows) - COMMAND_LINES} more lines)"] if len(rows) > COMMAND_LINES else []
    )
    return "\n    ".join(shown) if len(shown) > 1 else (shown[0] if shown else "(an empty step)")


def _outcome_summary(run: StepRun, step, snippet) -> tuple[str, list[str]] | None:
    """Why a step that did not complete stopped the session, or None when it completed."""
    if run.timed_out is not None:
        return (
            f"did not finish within {run.timed_out:g} s (its walkthrough timeout); the session's process "
            "group was killed",
            [],
        )
    if run.problem:
        return (run.problem, [])
    if run.done:
        return None
    if run.exit_code == 0:
        return ("ended the session (exit) before the walkthrough's last step; a reader's terminal would close here", [])
    if run.exit_code is None:
        return ("the session ended during this step without an exit status (killed from outside)", [])
    last = _last_line(run.stderr)
    return (
        f"exited with code {run.exit_code}, expected 0" + (f" ({last})" if last else ""),
        ["the session runs each step under set -euo pipefail, so this command ended it"],
    )


def first_failure(attempt: AttemptRun, steps, ctx, walk, with_output_file: bool = True) -> WalkthroughFailure | None:
    """The first step of the attempt that failed (or missed an expectation), or None when all passed.
    Without with_output_file, expected-output files are not compared (--update-expected refreshes them)."""
    earlier: list[str] = []
    for n, ((step, snippet), run) in enumerate(zip(steps, attempt.steps, strict=True), 1):
        if not run.ran and not run.problem:
            return _failure(
                walk,
                ctx,
                attempt,
                n,
                step,
                snippet,
                run,
                earlier,
                "the session never reached this step" + _session_note(attempt),
                [],
            )
        stopped = _outcome_summary(run, step, snippet)
        if stopped is not None:
            return _failure(walk, ctx, attempt, n, step, snippet, run, earlier, *stopped)
        mismatches = compare.expectations(
            snippet.walkthrough.expect,
            exit_code_received=0,
            stdout=run.stdout,
            stderr=run.stderr,
            workdir=run.cwd or attempt.work,
            group_dir=snippet.path.parent,
            shown_group=ctx.layout.snippet_target(snippet.group),
            with_output_file=with_output_file,
        )
        if mismatches:
            summary = mismatches[0].summary + (
                f"; and {len(mismatches) - 1} more problem(s), below" if len(mismatches) > 1 else ""
            )
            return _failure(
                walk,
                ctx,
                attempt,
                n,
                step,
                snippet,
                run,
                earlier,
                summary,
                [row for m in mismatches for row in m.details],
            )
        earlier.append(_earlier_row(n, walk, step, snippet, ctx))
    return None


def _session_note(attempt: AttemptRun) -> str:
    last = _last_line(attempt.session.stderr)
    return f" (the session's own error: {last})" if last else ""


def _earlier_row(n: int, walk, step, snippet, ctx) -> str:
    what = f"saved as {step.name}" if step.kind == "file" else "ran, exit 0"
    return f"{n}. {_page_line(walk, step)}  {ctx.layout.snippet_target(snippet.id)}  ({what})"


def _page_line(walk, step) -> str:
    return f"{display(walk.page)}:{step.line}"


def _failure(walk, ctx, attempt, n, step, snippet, run, earlier, summary, details) -> WalkthroughFailure:
    line = execute.failure_line(snippet, run.stderr) if step.kind == "shell" else 1
    return WalkthroughFailure(
        location=f"{ctx.layout.snippet_target(snippet.id)}:{line}",
        tier=TIER,
        summary=summary,
        pages=ctx.pages_of(snippet),
        command=command_of(step, snippet),
        exit_code=run.exit_code if not run.done and run.timed_out is None else None,
        stdout=run.stdout,
        stderr=run.stderr,
        details=list(details),
        page_location=_page_line(walk, step),
        walkthrough=f"{walk.id} ({display(walk.page)}:{walk.line})",
        attempt=attempt.number,
        step=n,
        steps=len(walk.steps),
        earlier=list(earlier),
    )


def _last_line(text: str, limit: int = 160) -> str:
    rows = [row.strip() for row in text.splitlines() if row.strip()]
    return (rows[-1][:limit] + ("…" if len(rows[-1]) > limit else "")) if rows else ""
