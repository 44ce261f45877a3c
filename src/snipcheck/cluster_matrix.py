"""The cluster workflow's job matrix: one job per chain, read from the manifests.

`python -m snipcheck.cluster_matrix [--chains "NAME ..."] [--changed BASE]` prints a JSON list with one
object per chosen chain (every chain by default; the named ones; or those whose folders changed since
BASE), so a new chain in a checks.yaml gets its own job without a workflow edit. Why each chain was chosen
goes to stderr; bad input is one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

from . import needs, selection
from .errors import ManifestError
from .manifest import Chain, Manifest, load

# Besides the steps: checkout, the three pinned environments, and deleting the cluster.
SETUP_MINUTES = 20
# GitHub cancels a hosted runner's job after 6 hours whatever the workflow asks.
MAX_JOB_MINUTES = 360


class MatrixError(Exception):
    """The chains cannot be chosen: an unknown chain name, a broken manifest, a bad BASE."""


def step_ids(manifest: Manifest, chain: Chain, repo: Path) -> list[str]:
    """The pytest ids of the chain's cluster steps, in chain order (checks.yaml::file::cluster)."""
    ids = []
    for snippet_id in chain.steps:
        snippet = manifest.snippets[snippet_id]
        where = snippet.manifest.resolve().relative_to(repo.resolve()).as_posix()
        ids.append(f"{where}::{snippet_id.removeprefix(snippet.group + '/')}::cluster")
    return ids


def job_minutes(manifest: Manifest, chain: Chain) -> int:
    """An upper bound for the chain's job: every step's timeout (and background deadline) plus setup."""
    seconds = 0.0
    for snippet_id in chain.steps:
        tier = manifest.snippets[snippet_id].tier("cluster")
        seconds += tier.timeout + (tier.background.deadline if tier.background else 0)
        seconds += tier.ui_walk.timeout if tier.ui_walk else 0  # the UI walk runs right after its step
    return min(MAX_JOB_MINUTES, SETUP_MINUTES + math.ceil(seconds / 60))


def entry(manifest: Manifest, chain: Chain, repo: Path) -> dict:
    return {
        "chain": chain.name,
        "tests": " ".join(step_ids(manifest, chain, repo)),
        "large": needs.exceeds_standard_runner(chain.resources),
        "resources": needs.describe(chain.resources),
        "timeout": job_minutes(manifest, chain),
    }


def named(manifest: Manifest, text: str) -> dict[str, str]:
    """Chain name -> why, for the names given (spaces or commas between them)."""
    names = [name for name in re.split(r"[\s,]+", text) if name]
    unknown = [name for name in names if name not in manifest.chains]
    if unknown:
        known = ", ".join(sorted(manifest.chains)) or "none"
        raise MatrixError(f"unknown chain {unknown[0]!r} (known: {known})")
    return {name: "named in the request" for name in names}


def changed(manifest: Manifest, repo: Path, base: str) -> dict[str, str]:
    """Chain name -> why, for the chains with a changed file in one of their folders since BASE."""
    try:
        commit, _ = selection.resolve_base(repo, base)
        files = selection.changed_files(repo, commit)
    except selection.SelectionError as exc:
        raise MatrixError(str(exc)) from None
    chosen = {}
    for chain in manifest.chains.values():
        touched = sorted(f for f in files for group in chain.folders if f.startswith(f"snippets/{group}/"))
        if touched:
            chosen[chain.name] = f"{touched[0]} {files[touched[0]]}" + (
                f" (and {len(touched) - 1} more)" if len(touched) > 1 else ""
            )
    return chosen


def plan(repo: Path, chains: str | None = None, base: str | None = None) -> tuple[list[dict], dict[str, str]]:
    """The matrix entries, in chain name order, and why each chain was chosen."""
    try:
        manifest = load(repo / "snippets")
    except ManifestError as exc:
        raise MatrixError(str(exc)) from None
    if chains is not None and chains.strip():
        why = named(manifest, chains)
    elif base is not None:
        why = changed(manifest, repo, base)
    else:
        why = {name: "every chain runs" for name in manifest.chains}
    return [entry(manifest, manifest.chains[name], repo) for name in sorted(why)], why


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m snipcheck.cluster_matrix",
        description="Print the cluster workflow's job matrix (JSON): one entry per chosen chain.",
    )
    parser.add_argument("--chains", help="chain names, separated by spaces or commas (empty: every chain)")
    parser.add_argument("--changed", metavar="BASE", help="only the chains whose folders changed since BASE")
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="the repository (default: here)")
    args = parser.parse_args(argv)
    try:
        entries, why = plan(args.repo, args.chains, args.changed)
    except MatrixError as exc:
        print(f"snipcheck.cluster_matrix: {exc}", file=sys.stderr)
        return 2
    for name, reason in sorted(why.items()):
        print(f"chain {name}: {reason}", file=sys.stderr)
    if not entries:
        print("no chain chosen: nothing for the cluster workflow to run", file=sys.stderr)
    print(json.dumps(entries, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
