"""A page's walkthroughs as the runner needs them, read by the one marker reader (snipcheck.page_walkthroughs).

A page with any malformed marker or step is refused at its first problem, with its file and line; the
structural checks list every problem of every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import page_walkthroughs
from ..errors import ManifestError

has_walkthroughs = page_walkthroughs.has_walkthroughs


@dataclass(frozen=True)
class Step:
    kind: str  # "shell": pasted into the session; "file": saved under `name` in the current folder
    target: str  # the embedded file, e.g. "snippets/kfp-v2/install-sdk.sh"
    line: int  # the fence's line on the page
    name: str | None = None


@dataclass(frozen=True)
class Walkthrough:
    page: Path
    docs: Path
    name: str
    line: int
    steps: tuple[Step, ...]
    where: str = "here"
    chain: str | None = None
    clone: str | None = None
    skipped: tuple[tuple[int, str], ...] = field(default=())  # (line, reason) of blocks left out on purpose

    @property
    def id(self) -> str:
        """'<page stem>:<name>', e.g. 'pipelines-sdk:kfp-v2'."""
        stem = self.page.relative_to(self.docs).as_posix().removesuffix(".md")
        return f"{stem}:{self.name}"


def read(page: Path, docs: Path) -> list[Walkthrough]:
    """Every walkthrough of the page, in order. A malformed marker or step is a ManifestError at its line."""
    parsed = page_walkthroughs.parse(page)
    if parsed.problems:
        first = parsed.problems[0]  # in reading order: the first a reader of the page meets
        raise ManifestError(page, first.line, first.message)
    return [_runnable(w, docs) for w in parsed.walkthroughs]


def _runnable(found: page_walkthroughs.Walkthrough, docs: Path) -> Walkthrough:
    steps = tuple(Step(s.kind, s.target, s.line, s.title) for s in found.steps)
    settings = found.settings
    return Walkthrough(
        found.page,
        docs,
        found.name,
        found.line,
        steps,
        settings.get("where", "here"),
        settings.get("chain"),
        settings.get("clone"),
        tuple(found.skipped),
    )
