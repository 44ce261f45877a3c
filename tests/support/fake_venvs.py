"""A tiny tools lock (setuptools alone, with the hashes of the real lock) in a temporary requirements folder,
so a test can watch scripts/_venv.sh create an environment in seconds instead of minutes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = Path(os.environ.get("SNIPCHECK_REQUIREMENTS", ROOT / "requirements"))


def fake_requirements(folder: Path, extra: str = "", tools: Path | None = None, bootstrap: Path | None = None) -> Path:
    """folder/tools.txt: the real lock's setuptools entry (it builds the editable install), plus `extra`
    (a comment changes the lock's hash, which makes a rebuild), or the text of `tools`; folder/bootstrap.txt:
    the real uv lock, or the text of `bootstrap`."""
    lock = (REQUIREMENTS / "tools.txt").read_text(encoding="utf-8")
    entry = re.search(r"^setuptools==.*?(?=^\S|\Z)", lock, re.M | re.S)
    assert entry and "--hash=sha256:" in entry.group(0), "requirements/tools.txt has no hashed setuptools entry"
    folder.mkdir(parents=True, exist_ok=True)
    text = tools.read_text(encoding="utf-8") if tools else entry.group(0) + extra
    (folder / "tools.txt").write_text(text, encoding="utf-8")
    (folder / "bootstrap.txt").write_text((bootstrap or REQUIREMENTS / "bootstrap.txt").read_text(encoding="utf-8"))
    return folder


def run_script(script: str, *args: str, venvs: Path, requirements: Path, env: dict | None = None) -> subprocess.Popen:
    """scripts/<script> ARGS against those folders, started (not awaited) in a process group of its own,
    output captured."""
    return subprocess.Popen(
        [str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=script_env(venvs, requirements, env),
    )


def script_env(venvs: Path, requirements: Path, env: dict | None = None) -> dict:
    """The environment a script of the tests runs in: a reader's PATH, those folders, then `env`."""
    return {
        **os.environ,
        "PATH": readers_path(),
        "SNIPCHECK_VENVS": str(venvs),
        "SNIPCHECK_REQUIREMENTS": str(requirements),
        **(env or {}),
    }


def readers_path() -> str:
    """PATH without the harness's environments: scripts/test puts its tools environment first, whose python3
    has no pip (uv made it), and a script started from there would take the ensurepip path, which a reader's
    shell reaches only with a Python that lacks pip (test_scripts has a test of its own for that)."""
    venvs = Path(os.environ.get("SNIPCHECK_VENVS", ROOT / ".venvs")).resolve()
    kept = [p for p in os.environ["PATH"].split(os.pathsep) if p and not Path(p).resolve().is_relative_to(venvs)]
    return os.pathsep.join(kept)


def finish(*processes: subprocess.Popen, timeout: float = 300) -> list[tuple[int, str, str]]:
    """(exit code, stdout, stderr) of each, once it has ended; one still running after `timeout` seconds is
    killed with its whole process group (pip and uv included) and fails the test."""
    results = []
    for process in processes:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, err = process.communicate()
            raise AssertionError(f"{process.args} still ran after {timeout} s; killed\n{out}{err}") from None
        results.append((process.returncode, out, err))
    return results
