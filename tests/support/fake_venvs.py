"""A tiny tools lock (setuptools alone, with the hashes of the real lock) in a temporary requirements folder,
so a test can watch scripts/_venv.sh create an environment in seconds instead of minutes."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = Path(os.environ.get("SNIPCHECK_REQUIREMENTS", ROOT / "requirements"))


def fake_requirements(folder: Path, extra: str = "") -> Path:
    """folder/tools.txt: the real lock's setuptools entry (it builds the editable install), plus `extra`
    (a comment changes the lock's hash, which makes a rebuild)."""
    lock = (REQUIREMENTS / "tools.txt").read_text(encoding="utf-8")
    entry = re.search(r"^setuptools==.*?(?=^\S|\Z)", lock, re.M | re.S)
    assert entry and "--hash=sha256:" in entry.group(0), "requirements/tools.txt has no hashed setuptools entry"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tools.txt").write_text(entry.group(0) + extra, encoding="utf-8")
    return folder


def run_script(script: str, *args: str, venvs: Path, requirements: Path, env: dict | None = None) -> subprocess.Popen:
    """scripts/<script> ARGS against those folders, started (not awaited), output captured."""
    return subprocess.Popen(
        [str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SNIPCHECK_VENVS": str(venvs), "SNIPCHECK_REQUIREMENTS": str(requirements), **(env or {})},
    )
