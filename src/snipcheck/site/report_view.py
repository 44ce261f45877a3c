"""The site's view of the report: where it is, and a bad file as one clear build error."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError

from .. import report as report_format

ENV_PATH = "SNIPCHECK_REPORT"


class SiteReportError(report_format.ReportError, PluginError):
    """A report the site cannot read; MkDocs prints it as one line, without a traceback."""


def report_path(root: Path) -> Path:
    """reports/snippets.json under the project root, unless $SNIPCHECK_REPORT names another file."""
    chosen = Path(os.environ.get(ENV_PATH) or report_format.DEFAULT_PATH)
    return chosen if chosen.is_absolute() else root / chosen


def load(path: Path) -> dict | None:
    """The report, or None when there is no file; a malformed one raises SiteReportError naming it."""
    if not path.exists():
        return None
    try:
        data = report_format.load(path)
    except report_format.ReportError as exc:
        raise SiteReportError(str(exc)) from None
    return data
