"""The site's view of the report: where it is, and a shape check so a bad file fails the build clearly."""
from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError

from . import report as report_format

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
    _check_shape(path, data)
    return data


def _fail(path: Path, where: str, what: str):
    raise SiteReportError(f"{path}: {where}: {what}")


def _check_shape(path: Path, data: dict) -> None:
    for key in ("machine", "tools", "chains", "snippets"):
        if not isinstance(data.get(key), dict):
            _fail(path, key, "expected an object")
    for name, chain in data["chains"].items():
        if not isinstance(chain, dict):
            _fail(path, f"chains.{name}", "expected an object")
    for sid, entry in data["snippets"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("tiers", {}), dict):
            _fail(path, f"snippets.{sid}", "expected an object with a 'tiers' object")
        for tier, result in entry.get("tiers", {}).items():
            if not isinstance(result, dict) or result.get("status") not in report_format.STATUSES:
                _fail(path, f"snippets.{sid}.tiers.{tier}",
                      f"status must be one of {', '.join(report_format.STATUSES)}")


def reason_in(result: dict, language: str) -> str | None:
    """Why a tier did not pass, in the page's language.

    The manifest gives each "does not apply" reason in Korean too; reasons the machine writes (a skip, a
    failure) exist only in English, so those, and any result without a Korean one, show the English."""
    if language == "ko" and result.get("reason_ko"):
        return result["reason_ko"]
    return result.get("reason")
