"""The repository's own shell scripts (entry points, CI, benchmarks) are shellcheck-clean."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHELL_SCRIPTS = sorted(p for p in [*(ROOT / "scripts").iterdir(), ROOT / ".ci" / "run"]
                       if p.is_file() and p.read_text(encoding="utf-8").startswith(("#!/usr/bin/env bash", "#"))
                       and "python" not in p.read_text(encoding="utf-8").splitlines()[0])


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_script_is_shellcheck_clean(script):
    checker = shutil.which("shellcheck")
    assert checker, "shellcheck is not on PATH (scripts/test puts the tools environment first)"
    done = subprocess.run([checker, "-x", "--shell=bash", str(script.relative_to(ROOT))], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_shellcheck_finding_fails_this_check(tmp_path):
    # The check above can fail: an unquoted variable is a finding.
    bad = tmp_path / "bad"
    bad.write_text('#!/usr/bin/env bash\nrm -rf $1/tmp\n', encoding="utf-8")
    done = subprocess.run([shutil.which("shellcheck"), "--shell=bash", str(bad)], capture_output=True, text=True)
    assert done.returncode != 0 and "SC2086" in done.stdout
