"""pytest items: one per walkthrough of a Korean page that runs here (its English twin declares the same steps; a
structural check compares them). Ids read `docs/pipelines-sdk.md::walkthrough::kfp-v2`. A `where=cluster`
section has no item of its own: it is the part of a chain that page shows, and the chain's items run it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .. import pages
from ..errors import ManifestError, SnippetFailure, display
from . import page as page_mod
from . import walk as walk_mod

MARKER = "walkthrough"


def wanted(file_path: Path, ctx) -> bool:
    """A Korean page under docs/ with at least one walkthrough marker."""
    return (
        file_path.suffix == ".md"
        and ctx.layout.docs_dir in file_path.parents
        and pages.language_of(file_path) == "ko"
        and page_mod.has_walkthroughs(file_path)
    )


class PageFile(pytest.File):
    def __init__(self, *, ctx, **kwargs):
        super().__init__(**kwargs)
        self.ctx = ctx

    def collect(self):
        try:
            found = [(w, walk_mod.resolve(w, self.ctx)) for w in page_mod.read(self.path, self.ctx.layout.docs_dir)]
        except ManifestError as exc:
            raise self.CollectError(str(exc)) from None
        if found:
            yield Walkthroughs.from_parent(self, name=MARKER, found=found, ctx=self.ctx)


class Walkthroughs(pytest.Collector):
    def __init__(self, *, found, ctx, **kwargs):
        super().__init__(**kwargs)
        self.found, self.ctx = found, ctx

    def collect(self):
        for walk, steps in self.found:
            if walk.where == "cluster":
                continue  # its chain's items run it, in one session (cluster/tier.py); the structure checks tie them
            item = WalkthroughItem.from_parent(self, name=walk.name, walk=walk, steps=steps, ctx=self.ctx)
            item.add_marker(getattr(pytest.mark, MARKER))
            yield item


class WalkthroughItem(pytest.Item):
    def __init__(self, *, walk, steps, ctx, **kwargs):
        super().__init__(**kwargs)
        self.walk, self.steps, self.ctx = walk, steps, ctx

    def runtest(self):
        skipped = walk_mod.skip_reason(self.walk, self.steps)
        if skipped:
            walk_mod.record_skipped(self.walk, self.steps, self.ctx, *skipped)
            pytest.skip(f"walkthrough {self.walk.id}: {skipped[0]}")
        walk_mod.run(self.walk, self.steps, self.ctx)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, SnippetFailure):
            return excinfo.value.render()
        if isinstance(excinfo.value, ManifestError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.walk.page, self.walk.line - 1, f"{display(self.walk.page)}:{self.walk.line} [walkthrough]"
