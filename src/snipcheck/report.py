"""The JSON report shared by the test run (writer) and the site build (reader).

Format 1 (documented in README.md, "The report"):
{
  "format": 1,
  "updated": "<ISO 8601 UTC>",            # when a session last wrote this file
  "machine": {"os": str, "python": str, "cpus": int},
  "tools": {"<name>": "<version>" | null},  # kubectl, shellcheck, kfp-v1, kfp-v2, docker, kind ...
  "chains": {"<chain>": {"status": str, "reason": str | null, "at": str, "kind": str, "node_image": str,
                         "kubernetes": str | null, "evidence": str | null}},
  "snippets": {"<group>/<file>": {"sha256": str, "pages": ["docs/x.md:12", ...],
               "tiers": {"static" | "local" | "cluster": {
                   "status": "passed" | "failed" | "skipped" | "not-applicable",
                   "reason": str | null, "reason_ko": str | null, "at": str, "sha256": str, "duration": float,
                   "output_tail": str | null, "environment": {...}}}}}
}
A session merges into an existing report: tiers it did not run keep their earlier entry, each with the
sha256 of the snippet as it was when that entry was made, so a reader can tell a stale result.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import sys
from pathlib import Path

FORMAT = 1
STATUSES = ("passed", "failed", "skipped", "not-applicable")
DEFAULT_PATH = Path("reports") / "snippets.json"


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def empty() -> dict:
    return {"format": FORMAT, "updated": None, "machine": {}, "tools": {}, "chains": {}, "snippets": {}}


class ReportError(Exception):
    pass


def load(path: Path) -> dict:
    """Read a report; a missing file is an empty report, a malformed one is a ReportError naming it."""
    path = Path(path)
    if not path.exists():
        return empty()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"{path}: not a readable JSON report: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ReportError(f"{path}: report format {data.get('format') if isinstance(data, dict) else '?'!r} "
                          f"is not {FORMAT}")
    for key, value in empty().items():
        data.setdefault(key, value)
    _check_shape(path, data)
    return data


def _check_shape(path: Path, data: dict) -> None:
    """Every part a reader of the report relies on has its type, so a hand-edited file fails by name."""
    def fail(where: str, what: str):
        raise ReportError(f"{path}: {where}: {what}")

    for key in ("machine", "tools", "chains", "snippets"):
        if not isinstance(data.get(key), dict):
            fail(key, "expected an object")
    for name, chain in data["chains"].items():
        if not isinstance(chain, dict):
            fail(f"chains.{name}", "expected an object")
    for sid, entry in data["snippets"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("tiers", {}), dict):
            fail(f"snippets.{sid}", "expected an object with a 'tiers' object")
        for tier, result in entry.get("tiers", {}).items():
            if not isinstance(result, dict) or result.get("status") not in STATUSES:
                fail(f"snippets.{sid}.tiers.{tier}", f"status must be one of {', '.join(STATUSES)}")


class Report:
    """One session's results, merged into the report file at write()."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.tools: dict = {}
        self.chains: dict = {}
        self.snippets: dict = {}

    def snippet(self, snippet_id: str, digest: str, pages: list[str]) -> None:
        entry = self.snippets.setdefault(snippet_id, {"tiers": {}})
        entry.update(sha256=digest, pages=pages)

    def tier(self, snippet_id: str, tier: str, status: str, *, digest: str, reason: str | None = None,
             duration: float = 0.0, output_tail: str | None = None, environment: dict | None = None,
             reason_ko: str | None = None) -> None:
        assert status in STATUSES, status
        self.snippets.setdefault(snippet_id, {"tiers": {}})["tiers"][tier] = {
            "status": status, "reason": reason, "reason_ko": reason_ko, "at": now(), "sha256": digest,
            "duration": round(duration, 3), "output_tail": output_tail, "environment": environment or {}}

    def chain(self, name: str, **info) -> None:
        self.chains.setdefault(name, {}).update(info, at=now())

    def merged(self, previous: dict) -> dict:
        data = previous
        data.update(format=FORMAT, updated=now(), machine=machine())
        data["tools"].update(self.tools)
        data["chains"].update(self.chains)
        for snippet_id, entry in self.snippets.items():
            old = data["snippets"].get(snippet_id, {"tiers": {}})
            tiers = {**old.get("tiers", {}), **entry["tiers"]}
            data["snippets"][snippet_id] = {**old, **entry, "tiers": tiers}
        return data

    def write(self) -> Path:
        try:
            previous = load(self.path)
        except ReportError:
            previous = empty()      # a broken old report is replaced, not merged
        data = self.merged(previous)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)
        return self.path


def machine() -> dict:
    return {"os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "cpus": os.cpu_count()}


def merge_cluster_results(source: Path, into: Path) -> int:
    """Copy the chains and the cluster tier entries of one report into another; how many entries.

    The Pages workflow joins the latest scheduled cluster run into the report of its own checks this way."""
    taken, present = load(source), load(into)["snippets"]
    combined = Report(into)
    combined.chains = dict(taken["chains"])
    for snippet_id, entry in taken["snippets"].items():
        # A snippet removed since the cluster run has no place on the site any more.
        if snippet_id in present and "cluster" in entry.get("tiers", {}):
            combined.snippets[snippet_id] = {"tiers": {"cluster": entry["tiers"]["cluster"]}}
    combined.write()
    return len(combined.snippets)


def main(argv: list[str]) -> int:
    """`python -m snipcheck.report merge-cluster CLUSTER_REPORT INTO_REPORT` (used by the Pages workflow)."""
    if len(argv) != 3 or argv[0] != "merge-cluster":
        print("usage: python -m snipcheck.report merge-cluster CLUSTER_REPORT INTO_REPORT", file=sys.stderr)
        return 2
    try:
        count = merge_cluster_results(Path(argv[1]), Path(argv[2]))
    except ReportError as exc:
        print(f"snipcheck: {exc}", file=sys.stderr)
        return 1
    print(f"merged the cluster tier of {count} snippet(s) from {argv[1]} into {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
