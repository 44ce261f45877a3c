"""The repository's own shell scripts (entry points, CI, benchmarks) are shellcheck-clean, and the pinned
environments they share are built once, beside the old one, by a Python that is new enough, with uv (itself
installed from its hash-locked wheel) or with pip, and a lock whose hashes do not hold is refused in one line."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from snipcheck import runtimes
from support.fake_venvs import fake_requirements, finish, run_script, script_env

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


FIXTURES = ROOT / "tests" / "fixtures" / "venv_locks"  # locks broken on purpose, and a stand-in


@pytest.fixture(scope="module")
def shared_uv(tmp_path_factory) -> tuple[Path, str]:
    """A venvs folder whose uv (the bootstrap environment) scripts/tool built from nothing, and its stderr."""
    folder = tmp_path_factory.mktemp("shared-uv")
    requirements, venvs = fake_requirements(folder / "requirements"), folder / "venvs"
    [(code, out, err)] = finish(run_script("tool", "python", "-c", "pass", venvs=venvs, requirements=requirements))
    assert code == 0, out + err
    return venvs, err


def _venvs_with_uv(tmp_path: Path, shared_uv: tuple[Path, str]) -> Path:
    """An empty venvs folder but for the shared uv, so a test spends no time installing uv again."""
    venvs = tmp_path / "venvs"
    venvs.mkdir()
    (venvs / "bootstrap").symlink_to((shared_uv[0] / "bootstrap").resolve())
    return venvs


def test_the_first_environment_brings_uv_from_its_own_lock(shared_uv):
    venvs, err = shared_uv
    requirements = venvs.parent / "requirements"
    assert err.splitlines() == [
        f"setting up {venvs / 'bootstrap'} from {requirements / 'bootstrap.txt'} with pip ...",
        f"setting up {venvs / 'tools'} from {requirements / 'tools.txt'} with uv ...",
    ]
    pinned = re.search(r"^uv==(\S+)", (requirements / "bootstrap.txt").read_text(encoding="utf-8"), re.M)
    uv = subprocess.run([venvs / "bootstrap" / "bin" / "uv", "--version"], capture_output=True, text=True, timeout=60)
    assert pinned and uv.stdout.startswith(f"uv {pinned.group(1)} "), uv.stdout + uv.stderr
    assert (venvs / "tools" / ".installer").read_text() == "uv\n"


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_scripts_started_together_build_the_environment_once(tmp_path, shared_uv, installer):
    requirements, venvs = fake_requirements(tmp_path / "requirements"), _venvs_with_uv(tmp_path, shared_uv)
    check = "import setuptools, snipcheck; print(setuptools.__version__)"
    env = {"SNIPCHECK_INSTALLER": installer}
    first = run_script("tool", "python", "-c", check, venvs=venvs, requirements=requirements, env=env)
    second = run_script("tool", "python", "-c", check, venvs=venvs, requirements=requirements, env=env)
    results = finish(first, second)
    for code, out, err in results:
        assert code == 0 and out.strip() == "84.2.1", out + err  # the engine too is importable
    # The lock (flock on venvs/.lock) makes the one that came second wait, then find the work done.
    assert sum(err.count(f"setting up {venvs / 'tools'} ") for _, _, err in results) == 1, results
    link = venvs / "tools"
    assert link.is_symlink() and re.fullmatch(r"tools-[0-9a-f]{12}", str(link.readlink()))
    assert (link / ".installer").read_text() == f"{installer}\n"


def test_a_changed_lock_is_built_beside_the_old_environment_and_swapped_in(tmp_path, shared_uv):
    venvs, built = _venvs_with_uv(tmp_path, shared_uv), []
    link = venvs / "tools"
    for change in ("", "# first change\n", "# second change\n"):
        requirements = fake_requirements(tmp_path / "requirements", extra=change)
        [(code, out, err)] = finish(run_script("tool", "python", "-c", "pass", venvs=venvs, requirements=requirements))
        assert code == 0 and "setting up" in err, out + err
        built.append(venvs / link.readlink())
        # The environment the symlink left stays whole for the processes still running from it.
        if len(built) > 1:
            assert built[-1] != built[-2] and (built[-2] / "bin" / "python").exists()
    assert not built[0].exists()  # older than the previous one: removed


def _tool_python(venvs: Path, requirements: Path, env: dict) -> list[tuple[int, str, str]]:
    """`scripts/tool python -c pass`: the cheapest command that needs the tools environment."""
    return finish(run_script("tool", "python", "-c", "pass", venvs=venvs, requirements=requirements, env=env))


@pytest.mark.parametrize("installer", ["uv", "pip"])
@pytest.mark.parametrize(
    "lock, refusal",
    [
        ("wrong-hash.txt", "the download of setuptools==84.2.1 does not match its sha256 in the lock"),
        ("no-hash.txt", "a requirement has no sha256 (regenerate it with scripts/lock)"),
    ],
)
def test_a_lock_that_does_not_hold_is_refused_with_one_line(tmp_path, shared_uv, installer, lock, refusal):
    requirements = fake_requirements(tmp_path / "requirements", tools=FIXTURES / lock)
    venvs = _venvs_with_uv(tmp_path, shared_uv)
    [(code, out, err)] = _tool_python(venvs=venvs, requirements=requirements, env={"SNIPCHECK_INSTALLER": installer})
    log = venvs / "tools.log"
    assert code == 1 and err.splitlines()[1:] == [
        f"scripts/tool: {requirements / 'tools.txt'} refused: {refusal}, nothing was installed"
        f" ({installer}'s output: {log})"
    ], out + err
    assert not (venvs / "tools").exists() and not list(venvs.glob("tools-*"))


def test_a_uv_wheel_that_does_not_hold_is_refused_not_replaced_by_pip(tmp_path):
    # A wrong hash is a reason to stop, never to fall back: pip would meet the same tampered files.
    requirements = fake_requirements(tmp_path / "requirements", bootstrap=FIXTURES / "bootstrap-wrong-hash.txt")
    venvs = tmp_path / "venvs"
    [(code, out, err)] = finish(run_script("tool", "python", "-c", "pass", venvs=venvs, requirements=requirements))
    assert code == 1 and err.splitlines()[1:] == [
        f"scripts/tool: {requirements / 'bootstrap.txt'} refused: the download of uv==0.13.8 does not match its"
        f" sha256 in the lock, nothing was installed (pip's output: {venvs / 'bootstrap.log'})"
    ], out + err
    assert not (venvs / "tools").exists() and not (venvs / "bootstrap").exists()


def test_no_uv_wheel_for_the_machine_falls_back_to_pip(tmp_path):
    requirements = fake_requirements(tmp_path / "requirements", bootstrap=FIXTURES / "bootstrap-no-wheel.txt")
    venvs = tmp_path / "venvs"
    [(code, out, err)] = finish(
        run_script("tool", "python", "-c", "import snipcheck", venvs=venvs, requirements=requirements)
    )
    assert code == 0 and err.splitlines()[1:] == [
        f"scripts/tool: no uv wheel of {requirements / 'bootstrap.txt'} fits this machine; installing with pip"
        " instead (slower)",
        f"setting up {venvs / 'tools'} from {requirements / 'tools.txt'} with pip ...",
    ], out + err
    assert (venvs / "tools" / ".installer").read_text() == "pip\n" and not (venvs / "bootstrap").exists()


def test_pip_without_a_pip_of_the_interpreter_uses_ensurepip(tmp_path):
    # A Python without pip of its own (Debian's python3 without python3-pip): the environment gets ensurepip's.
    bare = tmp_path / "bare"
    subprocess.run([shutil.which("python3"), "-m", "venv", "--without-pip", bare], check=True, timeout=120)
    requirements, venvs = fake_requirements(tmp_path / "requirements"), tmp_path / "venvs"
    env = {"SNIPCHECK_INSTALLER": "pip", "PYTHON": str(bare / "bin" / "python")}
    [(code, out, err)] = finish(
        run_script("tool", "python", "-c", "import snipcheck", venvs=venvs, requirements=requirements, env=env)
    )
    assert code == 0, out + err
    assert subprocess.run([venvs / "tools" / "bin" / "python", "-m", "pip", "--version"], timeout=60).returncode == 0


def test_an_unknown_installer_is_one_line(tmp_path):
    requirements = fake_requirements(tmp_path / "requirements")
    [(code, out, err)] = _tool_python(
        venvs=tmp_path / "venvs", requirements=requirements, env={"SNIPCHECK_INSTALLER": "conda"}
    )
    assert code == 2 and err == "scripts/tool: SNIPCHECK_INSTALLER is 'conda'; it can be uv (the default) or pip\n"
    assert not (tmp_path / "venvs").exists()


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
    [(code, out, err)] = _tool_python(
        venvs=tmp_path / "venvs", requirements=fake_requirements(tmp_path / "requirements"), env={"PYTHON": str(chosen)}
    )
    assert code == 1 and err == message.format(missing=missing) + "\n", out + err
    assert not (tmp_path / "venvs" / "tools").exists() and not (tmp_path / "venvs" / "bootstrap").exists()


def test_an_sdk_runtime_comes_with_its_bytecode_and_the_tools_without(tmp_path, shared_uv):
    # The snippets run with PYTHONDONTWRITEBYTECODE: an SDK runtime without bytecode would compile kfp again in
    # every process. The tools environment writes its own as it is used.
    requirements, venvs = fake_requirements(tmp_path / "requirements"), _venvs_with_uv(tmp_path, shared_uv)
    shutil.copy(requirements / "tools.txt", requirements / "kfp-v2.txt")
    script = f'. "{ROOT}/scripts/_venv.sh" && ensure_venv kfp-v2 && ensure_venv tools'
    env = script_env(venvs, requirements)
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr

    def compiled(name: str) -> list[Path]:
        return list((venvs / name).resolve().glob("lib/python3*/site-packages/setuptools/__pycache__/*.pyc"))

    assert compiled("kfp-v2") and not compiled("tools")


def test_the_engine_makes_an_sdk_runtime_with_the_scripts_own_ensure_venv(tmp_path, shared_uv, monkeypatch):
    # snipcheck.runtimes drives scripts/_venv.sh as scripts/test names it: the same lock, stamp and flock.
    requirements, venvs = fake_requirements(tmp_path / "requirements"), _venvs_with_uv(tmp_path, shared_uv)
    shutil.copy(requirements / "tools.txt", requirements / "kfp-v2.txt")
    for name, value in script_env(venvs, requirements).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv(runtimes.MAKER, str(ROOT / "scripts" / "_venv.sh"))
    monkeypatch.setenv(runtimes.PYTHON, sys.executable)
    monkeypatch.setattr(runtimes, "MADE", [])  # the process's own notes are kept for its end
    runtimes._make.cache_clear()
    try:
        runtimes.ensure_in(venvs, "kfp-v2")
        [note] = runtimes.MADE
        assert note.startswith(f"made {venvs / 'kfp-v2'} on first use")
        assert (venvs / "kfp-v2" / "bin" / "python").exists() and (venvs / "kfp-v2" / ".lock-sha256").exists()
        runtimes._make.cache_clear()
        runtimes.ensure_in(venvs, "kfp-v2")
        [again] = runtimes.MADE
        assert again is note  # current: nothing to do, nothing said
        (requirements / "kfp-v1.txt").write_text("setuptools==84.2.1\n", encoding="utf-8")
        with pytest.raises(runtimes.NotMade, match=r"kfp-v1 could not be made: scripts/test: .*kfp-v1.txt refused: "):
            runtimes.ensure_in(venvs, "kfp-v1")
    finally:
        runtimes._make.cache_clear()


def test_a_run_without_kfp_items_makes_no_sdk_runtime(tmp_path):
    # A contributor's focused run in a fresh clone: the tools environment only (shared here), and the report says
    # no kfp was there rather than guessing.
    venvs = tmp_path / "venvs"
    venvs.mkdir()
    real = Path(os.environ.get("SNIPCHECK_VENVS", ROOT / ".venvs"))
    for name in ("tools", "bootstrap"):
        (venvs / name).symlink_to((real / name).resolve())
    report = tmp_path / "report.json"
    args = ("-n", "0", "-p", "no:cacheprovider", "--report", str(report), "-k", "kind-config.yaml and static")
    [(code, out, err)] = finish(run_script("test", *args, venvs=venvs, requirements=ROOT / "requirements"))
    assert code == 0 and " passed" in out and "failed" not in out, out + err
    assert not (venvs / "kfp-v1").exists() and not (venvs / "kfp-v2").exists()
    tools = json.loads(report.read_text(encoding="utf-8"))["tools"]
    assert tools["kfp-v1"] is None and tools["kfp-v2"] is None
