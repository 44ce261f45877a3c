"""The engine's exceptions, and how a failure is printed for a person."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

TAIL_LINES = 20


class ManifestError(Exception):
    """A checks.yaml (or a page) says something the engine cannot accept."""

    def __init__(self, path, line: int, message: str):
        path = display(path)
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


def display(path) -> str:
    """A path as a person should read it: relative to the current folder when inside it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path(os.getcwd()).resolve()).as_posix()
    except ValueError:
        return str(path)


def tail(text: str, lines: int = TAIL_LINES) -> str:
    """The last lines of an output, marked when cut."""
    rows = text.rstrip("\n").splitlines()
    if len(rows) <= lines:
        return "\n".join(rows)
    return "\n".join([f"... ({len(rows) - lines} earlier lines cut)"] + rows[-lines:])


def indent_block(label: str, text: str | None) -> list[str]:
    if text is None:
        return []
    body = tail(text) if text.strip() else ""
    if not body:
        return [f"  {label}: (none)"]
    return [f"  {label}:"] + [f"    {row}" for row in body.splitlines()]


@dataclass
class SnippetFailure(Exception):
    """A snippet did not do what its checks expect. Printed as plain lines, never as a traceback."""

    location: str  # "snippets/x/y.sh:3" (1-based line)
    tier: str
    summary: str  # one sentence: what was expected, what happened
    pages: list[str] = field(default_factory=list)  # "docs/x.md:12" for every embedding page
    command: str | None = None
    exit_code: int | None = None
    stdout: str | None = None
    stderr: str | None = None
    details: list[str] = field(default_factory=list)  # e.g. where the cluster evidence went

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        lines = [f"{self.location}: {self.tier} tier: {self.summary}"]
        lines.append("  embedded in: " + (", ".join(self.pages) if self.pages else "(no page)"))
        if self.command is not None:
            lines.append(f"  command: {self.command}")
        if self.exit_code is not None:
            lines.append(f"  exit code: {self.exit_code}")
        lines += indent_block("stdout", self.stdout)
        lines += indent_block("stderr", self.stderr)
        lines += [f"  {row}" for row in self.details]
        return "\n".join(lines)
