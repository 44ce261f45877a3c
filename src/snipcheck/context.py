"""What every tier runner is handed: the repository layout, the manifest, the pages and the options."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import pages
from .manifest import Manifest, Snippet
from .report import Report
from .session import Session
from .structure import Layout


@dataclass
class Options:
    report: Path
    update_expected: bool = False
    keep_cluster: bool = False
    cluster: str = "kind"  # kind | existing
    context: str | None = None  # the kube context for --cluster=existing
    evidence_dir: Path | None = None


@dataclass
class Context:
    layout: Layout
    manifest: Manifest
    options: Options
    report: Report
    session: Session = field(default_factory=Session)
    venvs: Path = field(default_factory=lambda: Path(os.environ.get("SNIPCHECK_VENVS", ".venvs")).resolve())
    _embeds: dict | None = None

    def pages_of(self, snippet: Snippet | str) -> list[str]:
        """Every page (both languages) that embeds the snippet, as 'docs/x.md:12'."""
        if self._embeds is None:
            self._embeds = pages.embeds_by_target(self.layout.docs_dir)
        snippet_id = snippet if isinstance(snippet, str) else snippet.id
        return [e.where() for e in self._embeds.get(self.layout.snippet_target(snippet_id), [])]

    def python_of(self, runtime: str) -> Path:
        """The interpreter of a runtime environment (.venvs/<runtime>); snipcheck.runtimes makes the SDK ones."""
        return self.venvs / runtime / "bin" / "python"
