"""A throwaway clone of the working tree as it is now (uncommitted and untracked files committed there), and
an environments folder for it that shares the SDK environments and caches but has its own tools environment,
since the tools environment holds the engine of one checkout (installed editable)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from timing import ROOT, VENVS, run

# Entries of the shared environments folder a clone must not share: the tools environment (it would be
# re-pointed at the clone's engine under everyone else's feet), its logs and the build lock.
OWN = ("tools", ".lock")


def _git(*args: str, cwd: Path = ROOT) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=300)
    return done.stdout


def snapshot(dest: Path) -> Path:
    """dest/repo: a clone of HEAD plus the working tree's changes, committed as one snapshot commit."""
    clone = dest / "repo"
    _git("clone", "-q", str(ROOT), str(clone))
    changed = _git("ls-files", "-z", "--modified", "--others", "--exclude-standard").split("\0")
    for name in filter(None, changed):
        source, target = ROOT / name, clone / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif not source.exists():
            target.unlink(missing_ok=True)
    _git("add", "-A", cwd=clone)
    who = ["-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    _git(*who, "commit", "-q", "--allow-empty", "-m", "bench snapshot", cwd=clone)
    return clone


def venvs_for(clone: Path, dest: Path) -> Path:
    """dest/venvs: links to the shared SDK environments and caches, and a tools environment of its own."""
    venvs = dest / "venvs"
    venvs.mkdir()
    for entry in VENVS.iterdir() if VENVS.is_dir() else []:
        own = entry.name in OWN or entry.name.startswith("tools") or entry.name.endswith(".log")
        if not own:
            (venvs / entry.name).symlink_to(entry.resolve())
    tool = [str(clone / "scripts" / "tool"), "python", "-c", "pass"]
    done = run(tool, cwd=clone, env={"SNIPCHECK_VENVS": str(venvs)})
    if not done.ok:
        raise RuntimeError(f"the clone's tools environment could not be made:\n{done.output[-2000:]}")
    return venvs
