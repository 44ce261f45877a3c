"""Evidence of a failed chain: kind's logs, the cluster's events and pod descriptions, in one folder.

Saved under <evidence dir>/<chain>-<UTC timestamp>/ so a CI run can upload the folder as an artifact;
each command's outcome is listed in commands.txt, so a command that could not run is visible too.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from .kind_cluster import EXPORT_TIMEOUT, Cluster

KUBECTL_DUMPS = (
    ("events.txt", ["kubectl", "get", "events", "-A", "--sort-by=.lastTimestamp"]),
    ("pods.txt", ["kubectl", "get", "pods", "-A", "-o", "wide"]),
    ("describe-pods.txt", ["kubectl", "describe", "pods", "-A"]),
)


def folder_for(root: Path, chain: str) -> Path:
    """A new folder <root>/<chain>-<timestamp> (a suffix keeps two failures in one second apart)."""
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder, number = Path(root) / f"{chain}-{stamp}", 1
    while folder.exists():
        number += 1
        folder = Path(root) / f"{chain}-{stamp}-{number}"
    folder.mkdir(parents=True)
    return folder


def collect(cluster: Cluster, root: Path, chain: str) -> Path:
    """Save what the cluster can tell about a failure; returns the folder."""
    folder = folder_for(root, chain)
    outcomes = []
    if cluster.owned and cluster.name:
        done = cluster.run(
            ["kind", "export", "logs", str(folder / "kind-logs"), "--name", cluster.name], timeout=EXPORT_TIMEOUT
        )
        outcomes.append(_outcome(done))
    for name, argv in KUBECTL_DUMPS:
        done = cluster.run(argv)
        (folder / name).write_text(
            done.stdout + (f"\n--- stderr ---\n{done.stderr}" if done.stderr else ""), encoding="utf-8"
        )
        outcomes.append(_outcome(done, name))
    (folder / "commands.txt").write_text("\n".join(outcomes) + "\n", encoding="utf-8")
    return folder


def _outcome(done, saved_as: str | None = None) -> str:
    where = f" -> {saved_as}" if saved_as else ""
    problem = "" if done.exit_code == 0 else f"  ({(done.stderr or done.stdout).strip()[:300]})"
    command = " ".join([Path(done.argv[0]).name, *done.argv[1:]])
    return f"exit {done.exit_code}: {command}{where}{problem}"
