"""`scripts/test --changed` after a one-line edit of one snippet, in a throwaway clone of the working tree
as it is now (so the state you have is what is measured)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import clone
from timing import Timed, pytest_run

SNIPPET = "snippets/setup-2021/07-port-forward.sh"


def measure(snippet: str = SNIPPET) -> tuple[Timed, list[str]]:
    """The --changed run, and the lines where it says what it selected and why."""
    with tempfile.TemporaryDirectory(prefix="bench-changed-") as tmp:
        work = Path(tmp)
        repo = clone.snapshot(work)
        env = {"SNIPCHECK_VENVS": str(clone.venvs_for(repo, work))}
        with (repo / snippet).open("a", encoding="utf-8") as edited:
            # a comment in both languages, as the structural checks want: a valid edit, so the run passes
            edited.write("\n# ko: scripts/bench가 고친 줄\n# en: edited by scripts/bench\n")
        report = work / "report.json"
        pytest_run(["--collect-only"], report, cwd=repo, env=env)  # first imports and .pyc files: in neither
        done = pytest_run(["--changed"], report, cwd=repo, env=env)
    said = [row for row in done.output.splitlines() if row.startswith(("pages that", "--changed"))]
    return done, said
