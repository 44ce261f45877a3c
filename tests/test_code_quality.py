"""The engine's code is linted, formatted, typed and layered (settings in pyproject.toml), and each of the four
tools fails on a deliberately broken file, so a green run means something."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "pyproject.toml"
TOOLS = Path(os.environ.get("SNIPCHECK_VENVS", REPO / ".venvs")) / "tools" / "bin"
PYTHON_PATHS = ["src", "tests", "scripts/benchmarks"]  # what ruff covers; mypy covers src/snipcheck


def _run(*argv: str, cwd: Path = REPO, env: dict | None = None) -> subprocess.CompletedProcess:
    program = TOOLS / argv[0]
    assert program.exists(), f"{program} is missing (requirements/tools.in pins it; scripts/test creates it)"
    return subprocess.run(
        [str(program), *argv[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def _assert_clean(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 0, done.stdout + done.stderr


# Caches go to the test's own folder (or nowhere), never into the shared working tree.
def test_ruff_finds_nothing():
    _assert_clean(_run("ruff", "check", "--no-cache", *PYTHON_PATHS))


def test_ruff_format_changes_nothing():
    _assert_clean(_run("ruff", "format", "--check", "--no-cache", *PYTHON_PATHS))


def test_mypy_finds_nothing():
    # mypy's own incremental cache, shared with `scripts/tool mypy`: it rechecks what changed and what depends
    # on it (a fresh cache took 9 s of the suite's CPU, a warm one 1 s). The type-error test below starts cold.
    _assert_clean(_run("mypy", "--cache-dir", str(TOOLS.parent.parent / "mypy-cache")))


def test_import_contracts_are_kept():
    _assert_clean(_run("lint-imports", "--no-cache"))


# Each tool can fail.
def test_ruff_catches_an_unused_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n", encoding="utf-8")
    done = _run("ruff", "check", "--no-cache", "--config", str(CONFIG), str(bad))
    assert done.returncode == 1 and "F401" in done.stdout, done.stdout + done.stderr


def test_ruff_format_catches_a_badly_formatted_file(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("x = {'a':1}\n", encoding="utf-8")
    done = _run("ruff", "format", "--check", "--no-cache", "--config", str(CONFIG), str(bad))
    assert done.returncode == 1 and "bad.py" in done.stdout + done.stderr, done.stdout + done.stderr


def test_mypy_catches_a_type_error(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(x: int) -> str:\n    return x\n", encoding="utf-8")
    done = _run("mypy", "--config-file", str(CONFIG), "--cache-dir", str(tmp_path / "cache"), str(bad))
    assert done.returncode == 1 and "[return-value]" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize(
    "module, line, contract",
    [
        ("manifest.py", "from snipcheck import tiers", "the core imports no plugin, tier table or tier package"),
        ("local/tier.py", "from snipcheck.static import findings", "the tier packages are independent of each other"),
    ],
)
def test_lint_imports_catches_a_broken_layer(tmp_path, module, line, contract):
    # A copy of the engine with one import that breaks a contract, found first on the module path.
    shutil.copytree(REPO / "src" / "snipcheck", tmp_path / "snipcheck", ignore=shutil.ignore_patterns("__pycache__"))
    with (tmp_path / "snipcheck" / module).open("a", encoding="utf-8") as copy:
        copy.write(f"\n{line}  # broken on purpose\n")
    done = _run("lint-imports", "--no-cache", "--config", str(CONFIG), cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)})
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{contract} BROKEN" in done.stdout, done.stdout
