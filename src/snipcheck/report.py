"""The JSON report shared by the test run (writer) and the site build (reader).

Format 2 is defined by schemas/report.schema.json (documented in README.md, "The report"); in short:
{
  "format": 2,
  "updated": "<ISO 8601 UTC>",            # when a session last wrote this file
  "machine": {"os": str, "os_name": str | null, "python": str, "cpus": int},
  "tools": {"<name>": "<version>" | null},  # kubectl, shellcheck, kfp-v1, kfp-v2, docker, kind ...
  "chains": {"<chain>": {"status": str, "reason": str | null, "at": str, "kind": str, "node_image": str,
                         "kubernetes": str | null, "evidence": str | null}},
  "snippets": {"<group>/<file>": {"sha256": str, "pages": ["docs/x.md:12", ...],
               "tiers": {"static" | "local" | "cluster": {
                   "status": "passed" | "failed" | "skipped" | "not-applicable",
                   "reason": str | null, "reason_ko": str | null, "at": str, "sha256": str, "duration": float,
                   "output_tail": str | null, "environment": {...}}}}},
  "walkthroughs": {"<page stem>:<name>": {"page", "line", "name", "where", "chain", "status", "reason", ...}}
}
Format 1 (no walkthroughs, no machine.os_name) is upgraded when loaded.
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

from . import schema

FORMAT = 2
READABLE = (1, 2)  # 1 is upgraded on load
STATUSES = ("passed", "failed", "skipped", "not-applicable")
RESULT_TIERS = ("static", "local", "cluster", "walkthrough")
DEFAULT_PATH = Path("reports") / "snippets.json"


def now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def empty() -> dict:
    return {
        "format": FORMAT,
        "updated": None,
        "machine": {},
        "tools": {},
        "chains": {},
        "snippets": {},
        "walkthroughs": {},
    }


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
    if not isinstance(data, dict):
        raise ReportError(f"{path}: not a report: the JSON is a {type(data).__name__}, not an object")
    if data.get("format") not in READABLE or isinstance(data.get("format"), bool):
        raise ReportError(f"{path}: report format {data.get('format')!r} is not {FORMAT} (or 1, upgraded when read)")
    upgrade(data)
    # The shape every reader relies on, defined once in schemas/report.schema.json.
    problem = schema.report_problem(data)
    if problem:
        raise ReportError(f"{path}: {problem}")
    return data


def upgrade(data: dict) -> dict:
    """Format 1 -> 2 in place (no walkthroughs, no os_name); any missing top-level section is empty."""
    if data.get("format") == 1:
        data["format"] = FORMAT
        if isinstance(data.get("machine"), dict):
            data["machine"].setdefault("os_name", None)
    for key, value in empty().items():
        data.setdefault(key, value)
    return data


class Report:
    """One session's results, merged into the report file at write()."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.tools: dict = {}
        self.chains: dict = {}
        self.snippets: dict = {}
        self.walkthroughs: dict = {}  # walkthrough id -> its entry (README.md, "The report")
        self.replaced: str | None = None  # what was wrong with the old file write() could not merge

    def snippet(self, snippet_id: str, digest: str, pages: list[str]) -> None:
        entry = self.snippets.setdefault(snippet_id, {"tiers": {}})
        entry.update(sha256=digest, pages=pages)

    def tier(
        self,
        snippet_id: str,
        tier: str,
        status: str,
        *,
        digest: str,
        reason: str | None = None,
        duration: float = 0.0,
        output_tail: str | None = None,
        environment: dict | None = None,
        reason_ko: str | None = None,
    ) -> None:
        if status not in STATUSES or tier not in RESULT_TIERS:
            raise ValueError(
                f"report: {snippet_id}: a {tier!r} result with status {status!r}; the report takes "
                f"a tier of {', '.join(RESULT_TIERS)} and a status of {', '.join(STATUSES)}"
            )
        self.snippets.setdefault(snippet_id, {"tiers": {}})["tiers"][tier] = {
            "status": status,
            "reason": reason,
            "reason_ko": reason_ko,
            "at": now(),
            "sha256": digest,
            "duration": round(duration, 3),
            "output_tail": output_tail,
            "environment": environment or {},
        }

    def chain(self, name: str, **info) -> None:
        self.chains.setdefault(name, {}).update(info, at=now())

    def walkthrough(self, walkthrough_id: str, entry: dict) -> None:
        """One walkthrough's result (format 2's `walkthroughs` object), stamped with the time it was made."""
        self.walkthroughs[walkthrough_id] = {**entry, "at": now()}

    def part(self) -> str:
        """This session's results as JSON text: what a pytest-xdist worker hands the controller."""
        return json.dumps(
            {"tools": self.tools, "chains": self.chains, "snippets": self.snippets, "walkthroughs": self.walkthroughs}
        )

    def absorb(self, part: str) -> None:
        """Add one worker's part. Workers run disjoint items, so a tier, chain or walkthrough comes from one of
        them; what every worker records at collection (a snippet's sha256 and pages, a tier that does not
        apply) is the same in each."""
        data = json.loads(part)
        self.tools.update(data["tools"])
        for name, info in data["chains"].items():
            self.chains.setdefault(name, {}).update(info)
        self.walkthroughs.update(data["walkthroughs"])
        for snippet_id, entry in data["snippets"].items():
            mine = self.snippets.setdefault(snippet_id, {"tiers": {}})
            mine.update({key: value for key, value in entry.items() if key != "tiers"})
            mine["tiers"].update(entry["tiers"])

    def merged(self, previous: dict) -> dict:
        data = previous
        data.update(format=FORMAT, updated=now(), machine=machine())
        data["tools"].update(self.tools)
        data["chains"].update(self.chains)
        data["walkthroughs"].update(self.walkthroughs)  # one this session did not run keeps its entry
        for snippet_id, entry in self.snippets.items():
            old = data["snippets"].get(snippet_id, {"tiers": {}})
            tiers = {**old.get("tiers", {}), **entry["tiers"]}
            data["snippets"][snippet_id] = {**old, **entry, "tiers": tiers}
        return data

    def write(self) -> Path:
        try:
            previous = load(self.path)
        except ReportError as exc:
            # A broken old report is replaced, not merged; the session says so, since its results are lost.
            self.replaced = str(exc).removeprefix(f"{self.path}: ")
            previous = empty()
        data = self.merged(previous)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)
        return self.path


def machine() -> dict:
    return {
        "os": f"{platform.system()} {platform.release()}",
        "os_name": os_name(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }


def os_name(os_release: Path = Path("/etc/os-release")) -> str | None:
    """A short OS name for readers ("Debian 12", "Ubuntu 24.04", "macOS 14.5"), or None when unknown."""
    try:
        fields = dict(
            _os_release_field(line)
            for line in os_release.read_text(encoding="utf-8").splitlines()
            if "=" in line and not line.lstrip().startswith("#")
        )
    except (OSError, UnicodeDecodeError):
        mac = platform.mac_ver()[0]
        return f"macOS {mac}" if mac else None
    name = fields.get("NAME", "").removesuffix(" GNU/Linux").removesuffix(" Linux").strip()
    version = fields.get("VERSION_ID", "").strip()
    return " ".join(part for part in (name, version) if part) or None


def _os_release_field(line: str) -> tuple[str, str]:
    key, _, value = line.partition("=")
    return key.strip(), value.strip().strip("\"'")


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


CI_RUNS = ("quick-start/build-site.sh",)  # the blocks .ci/run pastes into its own shell (its QUICK_START)
CI_RUNNER = ".ci/run"  # a local result's environment.ran_by when CI, not the suite, ran the block
CI_SESSION = "CI's own shell on a fresh clone of the repository, the block's lines pasted in order (.ci/run)"


def record_ci_run(into: Path, snippet_ids: list[str], seconds: float, exit_status: int, root: Path) -> None:
    """.ci/run pasted these snippets' lines into its own shell: their local tier is that run. It passed when
    every command succeeded; the file's sha256 is taken now, so a later edit shows as stale."""
    combined, present, failed = Report(into), load(into)["snippets"], exit_status != 0
    for snippet_id in snippet_ids:
        path = root / "snippets" / snippet_id
        if snippet_id not in present or not path.is_file():
            raise ReportError(f"{into}: no snippet {snippet_id} in this report, or no file {path}")
        combined.tier(
            snippet_id,
            "local",
            "failed" if failed else "passed",
            digest=sha256(path),
            reason=f"a command ended with exit status {exit_status}" if failed else None,
            reason_ko=f"명령이 종료 코드 {exit_status}로 끝남" if failed else None,
            duration=seconds,
            environment={"ran_by": CI_RUNNER, "session": CI_SESSION, "os": os_name(), "python": machine()["python"]},
        )
    combined.write()


USAGE = (
    "usage: python -m snipcheck.report merge-cluster CLUSTER_REPORT INTO_REPORT\n"
    "       python -m snipcheck.report ran-in-ci INTO_REPORT SECONDS EXIT_STATUS SNIPPET..."
)


def main(argv: list[str]) -> int:
    """`merge-cluster` (the Pages workflow joins a chain's report) and `ran-in-ci` (.ci/run records the
    quick start it ran)."""
    try:
        if len(argv) == 3 and argv[0] == "merge-cluster":
            count = merge_cluster_results(Path(argv[1]), Path(argv[2]))
            print(f"merged the cluster tier of {count} snippet(s) from {argv[1]} into {argv[2]}")
            return 0
        if len(argv) >= 5 and argv[0] == "ran-in-ci" and argv[3].lstrip("-").isdigit():
            record_ci_run(Path(argv[1]), argv[4:], float(argv[2]), int(argv[3]), Path.cwd())
            print(f"recorded the run of {', '.join(argv[4:])} by .ci/run in {argv[1]}")
            return 0
    except (ReportError, ValueError) as exc:
        print(f"snipcheck: {exc}", file=sys.stderr)
        return 1
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
