"""The reader's environment: a fresh HOME, an empty working folder, and what a new login shell on a fresh
machine has (`env -i HOME=...` plus the PATH that /etc/profile gives). Nothing of the harness gets in: no
venv of ours, no PYTHONPATH, no SNIPCHECK_*, no repository path. The proxy settings and LANG pass through, as
a reader's machine would have them too; and pip's download cache when the harness shares one between runs
(sandbox.SHARED_BETWEEN_RUNS), which the report then states in the walkthrough's environment. A clone=repo
session alone also carries the nesting mark (nesting.VARIABLE), so the harness it runs never restarts it.
"""

from __future__ import annotations

import functools
import os
import platform
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import report, sandbox

PASSED_THROUGH = (
    "LANG",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "all_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
)
FALLBACK_PATH = "/usr/local/bin:/usr/bin:/bin"
WALKTHROUGH_ROOM = "snipcheck-walkthrough-"  # a walkthrough's room folder starts so (scripts/bench reads it too)


@functools.cache
def login_path() -> str:
    """PATH of a new login shell of this user with an empty HOME (what /etc/profile sets)."""
    with tempfile.TemporaryDirectory(prefix="snipcheck-login-") as home:
        try:
            done = subprocess.run(
                ["/bin/sh", "-c", 'exec bash -l -c \'printf "%s" "$PATH"\''],
                env={"HOME": home, "PATH": FALLBACK_PATH},
                capture_output=True,
                text=True,
                timeout=20,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired):
            return FALLBACK_PATH
    found = done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else FALLBACK_PATH
    return _as_reader(found)


def _as_reader(path: str) -> str:
    """A reader is not root: under root (CI's container), /etc/profile adds the sbin folders, which an ordinary
    user's login PATH lacks (Debian's `sysctl` is there). Drop them, so a step that needs them fails here too."""
    if os.geteuid() != 0:
        return path
    return os.pathsep.join(part for part in path.split(os.pathsep) if not part.rstrip("/").endswith("/sbin"))


def bash() -> str:
    """The bash the reader's PATH finds."""
    return shutil.which("bash", path=login_path()) or "bash"


@functools.cache
def python_version() -> str | None:
    """The version of the `python3` a reader's PATH finds (not the harness's interpreter)."""
    python = shutil.which("python3", path=login_path())
    if python is None:
        return None
    try:
        done = subprocess.run(
            [python, "-c", "import platform; print(platform.python_version())"],
            env={"PATH": login_path()},
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def machine() -> dict:
    """The reader's machine as the report states it, with what the harness shares between runs, if anything."""
    shared = sandbox.shared_between_runs()
    return {
        "os": report.os_name() or platform.system(),
        "python": python_version(),
        **({"shared_between_runs": shared} if shared else {}),
    }


@dataclass
class Room:
    """One walkthrough's place: home/ (HOME), work/ (the working folder), steps/ and log/ (the harness's)."""

    root: Path
    marks: dict[str, str] = field(default_factory=dict)  # what the harness adds (nesting.variables), or none

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def steps(self) -> Path:
        return self.root / "steps"

    def log(self, attempt: int) -> Path:
        return self.root / f"log-{attempt}"

    def env(self) -> dict:
        env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
        env.update({name: os.environ[name] for name in sandbox.shared_between_runs()})
        env.update(self.marks)
        env.update(HOME=str(self.home), PATH=login_path())
        return env

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def create(clone: Path | None = None, prefix: str = WALKTHROUGH_ROOM) -> Room:
    """A new room; with clone, the working folder is a fresh `git clone` of that repository."""
    room = Room(Path(tempfile.mkdtemp(prefix=prefix)))
    room.home.mkdir()
    room.steps.mkdir()
    if clone is None:
        room.work.mkdir()
    else:
        subprocess.run(
            ["git", "clone", "--quiet", "--no-hardlinks", str(clone), str(room.work)],
            check=True,
            capture_output=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        _carry_uncommitted(clone, room.work)
    return room


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(folder), *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    ).stdout


def _clear(target: Path) -> None:
    if target.is_dir() and not target.is_symlink():  # a folder that became a file
        shutil.rmtree(target)
    else:
        target.unlink(missing_ok=True)


def _carry_uncommitted(source: Path, work: Path) -> None:
    """A dirty working tree is what its owner is testing, so the clone gets it as one commit on top of HEAD
    (a clean checkout, as CI's, has nothing to carry: the clone is then exactly the repository's HEAD)."""
    # Against HEAD, not the index: a staged change (git add, git rm) is as uncommitted as an unstaged one.
    listed = _git(source, "diff", "--name-only", "--no-renames", "-z", "HEAD") + _git(
        source, "ls-files", "-z", "--others", "--exclude-standard"
    )
    changed = [name for name in listed.split("\0") if name]
    if not changed:
        return
    present = {name: (source / name).exists() or (source / name).is_symlink() for name in set(changed)}
    for name in sorted(present, key=lambda name: (present[name], name)):  # deletions first: a path may be reused
        origin, target = source / name, work / name
        _clear(target)
        if present[name]:
            for parent in reversed(target.relative_to(work).parents[:-1]):
                if (work / parent).is_file():  # a file that became a folder
                    (work / parent).unlink()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target, follow_symlinks=False)
    _git(work, "add", "--all")
    _git(
        work,
        "-c",
        "user.name=snipcheck",
        "-c",
        "user.email=snipcheck@localhost",
        "commit",
        "--quiet",
        "--no-verify",
        "--message",
        "the uncommitted working tree of the repository under test",
    )
