"""A fresh place to run snippets: its own working folder, HOME and KUBECONFIG, nothing of the user's.

The working folder holds a copy of the snippet's group folder (and of any groups a chain includes), so
a step can use a file the page tells the reader to save beside it. Tools a step installs go to
$HOME/.local/bin, which leads PATH: never /usr/local/bin, never sudo.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Only these variables of the caller's environment reach a snippet; everything else (KUBECONFIG,
# cloud credentials, the user's PYTHONPATH) stays out.
PASSED_THROUGH = (
    "PATH",
    "LANG",
    "LC_ALL",
    "TERM",
    "DOCKER_HOST",
    "DOCKER_CONFIG",
    "SSL_CERT_FILE",
    "REQUESTS_CA_BUNDLE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "CI",
    "GITHUB_ACTIONS",
    "PIP_CACHE_DIR",
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
)
SKIPPED_FILES = {"checks.yaml", "README.md"}
# What the harness keeps between runs that a reader's fresh machine would not have. It changes how fast a
# step runs, not what it gets (pip resolves the same pins, it only downloads less); a result made with it
# says so in its environment (`shared_between_runs`). scripts/test sets both.
SHARED_BETWEEN_RUNS = {
    "PIP_CACHE_DIR": "pip's download cache is shared between runs",
    "UV_CACHE_DIR": "uv's download cache is shared between runs",
}


def shared_between_runs(passed: tuple[str, ...] | None = None) -> dict[str, str]:
    """Each variable of SHARED_BETWEEN_RUNS this run sets (and, given passed, that reaches the step), with what it
    shares (for the report)."""
    return {
        name: what
        for name, what in SHARED_BETWEEN_RUNS.items()
        if os.environ.get(name) and (passed is None or name in passed)
    }


@dataclass
class Sandbox:
    root: Path

    @property
    def workdir(self) -> Path:
        return self.root / "work"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def bin(self) -> Path:
        return self.home / ".local" / "bin"

    @property
    def kubeconfig(self) -> Path:
        return self.root / "kubeconfig"

    def env(self, extra: dict | None = None) -> dict:
        env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
        env.update(
            HOME=str(self.home),
            TMPDIR=str(self.root / "tmp"),
            KUBECONFIG=str(self.kubeconfig),
            PATH=os.pathsep.join([str(self.bin), env.get("PATH", os.defpath)]),
            LANG=env.get("LANG", "C.UTF-8"),
            PYTHONDONTWRITEBYTECODE="1",
        )
        env.update(extra or {})
        return env

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def create(groups: list[Path], parent: Path | None = None, prefix: str = "snipcheck-") -> Sandbox:
    """A new sandbox whose working folder holds a copy of each group folder's files."""
    box = Sandbox(Path(tempfile.mkdtemp(prefix=prefix, dir=parent)))
    for folder in (box.workdir, box.bin, box.root / "tmp"):
        folder.mkdir(parents=True)
    copy_groups(groups, box.workdir)
    return box


def copy_groups(groups: list[Path], dest: Path) -> None:
    """Each group folder's files (not its checks.yaml or README) into dest: what a page has the reader save."""
    for group in groups:
        for item in sorted(Path(group).iterdir()):
            if item.is_file() and item.name not in SKIPPED_FILES:
                shutil.copy2(item, dest / item.name)
