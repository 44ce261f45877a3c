"""The repository's own shell scripts (entry points, CI, benchmarks) are shellcheck-clean, and the pinned
environments they share are built once, beside the old one, by a Python that is new enough."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from support.fake_venvs import fake_requirements, run_script

ROOT = Path(__file__).resolve().parent.parent
SHELL_SCRIPTS = sorted(
    p
    for p in [*(ROOT / "scripts").iterdir(), ROOT / ".ci" / "run"]
    if p.is_file()
    and p.read_text(encoding="utf-8").startswith(("#!/usr/bin/env bash", "#"))
    and "python" not in p.read_text(encoding="utf-8").splitlines()[0]
)


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_script_is_shellcheck_clean(script):
    checker = shutil.which("shellcheck")
    assert checker, "shellcheck is not on PATH (scripts/test puts the tools environment first)"
    done = subprocess.run(
        [checker, "-x", "--shell=bash", str(script.relative_to(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_shellcheck_finding_fails_this_check(tmp_path):
    # The check above can fail: an unquoted variable is a finding.
    bad = tmp_path / "bad"
    bad.write_text("#!/usr/bin/env bash\nrm -rf $1/tmp\n", encoding="utf-8")
    done = subprocess.run([shutil.which("shellcheck"), "--shell=bash", str(bad)], capture_output=True, text=True)
    assert done.returncode != 0 and "SC2086" in done.stdout


def _finish(*processes: subprocess.Popen) -> list[tuple[int, str, str]]:
    """(exit code, stdout, stderr) of each, once it has ended."""
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append((process.returncode, out, err))
    return results


def test_scripts_started_together_build_the_environment_once(tmp_path):
    requirements, venvs = fake_requirements(tmp_path / "requirements"), tmp_path / "venvs"
    check = "import setuptools, snipcheck; print(setuptools.__version__)"
    first = run_script("tool", "python", "-c", check, venvs=venvs, requirements=requirements)
    second = run_script("tool", "python", "-c", check, venvs=venvs, requirements=requirements)
    results = _finish(first, second)
    for code, out, err in results:
        assert code == 0 and out.strip() == "84.2.1", out + err  # the engine too is importable
    # The lock (flock on venvs/.lock) makes the one that came second wait, then find the work done.
    assert sum(err.count("setting up") for _, _, err in results) == 1, results
    link = venvs / "tools"
    assert link.is_symlink() and re.fullmatch(r"tools-[0-9a-f]{12}", str(link.readlink()))


def test_a_changed_lock_is_built_beside_the_old_environment_and_swapped_in(tmp_path):
    venvs, link, built = tmp_path / "venvs", tmp_path / "venvs" / "tools", []
    for change in ("", "# first change\n", "# second change\n"):
        requirements = fake_requirements(tmp_path / "requirements", extra=change)
        [(code, out, err)] = _finish(run_script("tool", "python", "-c", "pass", venvs=venvs, requirements=requirements))
        assert code == 0 and "setting up" in err, out + err
        built.append(venvs / link.readlink())
        # The environment the symlink left stays whole for the processes still running from it.
        if len(built) > 1:
            assert built[-1] != built[-2] and (built[-2] / "bin" / "python").exists()
    assert not built[0].exists()  # older than the previous one: removed


def _fake_python(tmp_path: Path, version: tuple[int, int]) -> Path:
    """A Python that says it is VERSION at /usr/bin/python3 (the real one runs the code it is given)."""
    fake = tmp_path / "python"
    real = shutil.which("python3")
    fake.write_text(
        f'#!/bin/sh\n[ "$1" = -c ] || exit 3\nexec {real} -c "import sys; sys.version_info = '
        f'{version + (0, "final", 0)}; sys.executable = \'/usr/bin/python3\'; exec(sys.argv[1])" "$2"\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    return fake


@pytest.mark.parametrize(
    "python, message",
    [
        ("old", "scripts/tool: Python 3.11 or newer is needed; found 3.9 at /usr/bin/python3 (set PYTHON=...)"),
        ("missing", "scripts/tool: Python 3.11 or newer is needed; '{missing}' does not run (set PYTHON=...)"),
    ],
)
def test_too_old_or_missing_python_is_one_line(tmp_path, python, message):
    missing = tmp_path / "no-such-python"
    chosen = _fake_python(tmp_path, (3, 9)) if python == "old" else missing
    [(code, out, err)] = _finish(
        run_script(
            "tool",
            "python",
            "-c",
            "pass",
            venvs=tmp_path / "venvs",
            requirements=fake_requirements(tmp_path / "requirements"),
            env={"PYTHON": str(chosen)},
        )
    )
    assert code == 1 and err == message.format(missing=missing) + "\n", out + err
    assert not (tmp_path / "venvs" / "tools").exists()
