"""Creating a pinned environment from its lock: through the scripts' own `ensure_venv` (what scripts/test,
scripts/site and scripts/tool run on a fresh clone) and, for comparison, plain pip on the same lock.

Each is timed twice in its own empty folder: with an empty package cache (everything downloaded) and again
with the cache the first run filled (a machine that has installed these once, the usual case)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from timing import ROOT, VENVS, Timed, run

CACHE_VARIABLES = ("UV_CACHE_DIR", "PIP_CACHE_DIR")


def _caches(folder: Path) -> dict[str, str]:
    return {name: str(folder / name.lower()) for name in CACHE_VARIABLES}


def through_scripts(name: str, work: Path) -> tuple[Timed, Timed]:
    """(empty cache, filled cache) for `ensure_venv NAME` of scripts/_venv.sh in an empty environments folder."""
    venvs, caches = work / "venvs", _caches(work / "caches")
    env = {"SNIPCHECK_VENVS": str(venvs), **caches}
    command = ["bash", "-c", f'. "{ROOT}/scripts/_venv.sh" && ensure_venv {name}']
    cold = run(command, env=env, timeout=1200)
    # Remove the environment but keep the folder: a cache the scripts may keep under it stays filled.
    for built in list(venvs.glob(f"{name}*")):
        if built.is_symlink() or built.is_file():
            built.unlink()
        else:
            shutil.rmtree(built)
    warm = run(command, env=env, timeout=1200)
    return cold, warm


def _cold_and_warm(name: str, work: Path, script_for) -> tuple[Timed, Timed]:
    """(empty cache, filled cache): the same install twice, the second with the cache the first filled."""
    caches = _caches(work / "caches")
    lock = ROOT / "requirements" / f"{name}.txt"
    results = [
        run(["bash", "-c", script_for(work / attempt, lock)], env=caches, timeout=1200) for attempt in ("cold", "warm")
    ]
    return results[0], results[1]


def with_pip(name: str, work: Path) -> tuple[Timed, Timed]:
    """(empty cache, filled cache) for `python3 -m venv` then `pip install --require-hashes -r LOCK`."""
    return _cold_and_warm(
        name,
        work,
        lambda venv, lock: (
            f'python3 -m venv "{venv}" && "{venv}/bin/python" -m pip install --quiet '
            f'--disable-pip-version-check --require-hashes -r "{lock}"'
        ),
    )


def uv_program() -> str | None:
    """uv on PATH, or in one of the pinned environments (where the scripts may keep it)."""
    found = shutil.which("uv") or next((str(p) for p in sorted(VENVS.glob("*/bin/uv"))), None)
    return found


def with_uv(uv: str, name: str, work: Path) -> tuple[Timed, Timed]:
    """(empty cache, filled cache) for `uv venv` then `uv pip install --require-hashes -r LOCK`."""
    return _cold_and_warm(
        name,
        work,
        lambda venv, lock: (
            f'"{uv}" venv --quiet --python python3 "{venv}" && "{uv}" pip install --quiet '
            f'--python "{venv}/bin/python" --require-hashes -r "{lock}"'
        ),
    )


def measure(name: str) -> dict[str, Timed]:
    """Each way's (cold, warm) pair; uv's only where a uv program is found."""
    found: dict[str, Timed] = {}
    uv = uv_program()
    with tempfile.TemporaryDirectory(prefix="bench-venv-") as tmp:
        found["scripts cold"], found["scripts warm"] = through_scripts(name, Path(tmp) / "scripts")
        found["pip cold"], found["pip warm"] = with_pip(name, Path(tmp) / "pip")
        if uv:
            found["uv cold"], found["uv warm"] = with_uv(uv, name, Path(tmp) / "uv")
    return found
