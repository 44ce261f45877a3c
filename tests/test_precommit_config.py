""".pre-commit-config.yaml: valid, local-only (works offline), and each hook able to fail on a broken file."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from snipcheck.static import lint_shell
from support.fake_venvs import fake_requirements, run_script

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / ".pre-commit-config.yaml"
TOOLS = Path(os.environ.get("SNIPCHECK_VENVS", REPO / ".venvs")) / "tools" / "bin"


def _hooks() -> dict[str, dict]:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in data["repos"] for hook in repo["hooks"]}


def _run_hook(hook_id: str, *files: Path) -> subprocess.CompletedProcess:
    """The hook's command on the given files, from the repository root, as pre-commit would run it."""
    hook = _hooks()[hook_id]
    argv = shlex.split(hook["entry"]) + list(hook.get("args", [])) + [str(f) for f in files]
    # No ruff cache in the shared working tree.
    return subprocess.run(
        argv, cwd=REPO, capture_output=True, text=True, timeout=120, env={**os.environ, "RUFF_NO_CACHE": "true"}
    )


def test_pre_commit_validates_the_config(tmp_path):
    done = subprocess.run(
        [str(TOOLS / "pre-commit"), "validate-config", str(CONFIG)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_hook_is_local_and_goes_through_a_script_that_makes_the_environment():
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in data["repos"]] == ["local"]  # nothing to fetch
    hooks = _hooks()
    assert set(hooks) == {"shellcheck", "structure", "yamllint", "codespell", "ruff", "ruff-format"}
    for hook_id, hook in hooks.items():
        assert hook["language"] == "system"
        # A fresh clone has no .venvs: scripts/tool (and scripts/test) create it before running anything.
        program = shlex.split(hook["entry"])[0]
        assert program == ("scripts/test" if hook_id == "structure" else "scripts/tool"), program


def test_the_tool_script_creates_a_missing_environment_then_runs_the_tool(tmp_path):
    # What a hook does in a fresh clone, with a tiny lock so that it takes seconds.
    venvs = tmp_path / "venvs"
    tool = run_script(
        "tool",
        "python",
        "-c",
        "import snipcheck, sys; print(sys.prefix)",
        venvs=venvs,
        requirements=fake_requirements(tmp_path / "requirements"),
    )
    out, err = tool.communicate(timeout=300)
    assert tool.returncode == 0 and out.strip() == str(venvs / "tools"), out + err
    assert f"setting up {venvs / 'tools'}" in err
    again = run_script("tool", "no-such-tool", venvs=venvs, requirements=tmp_path / "requirements")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 2 and err == (
        "scripts/tool: no 'no-such-tool' in the tools environment (add it to requirements/tools.in)\n"
    ), out + err


def test_shellcheck_hook_and_static_tier_read_the_same_settings():
    entry = shlex.split(_hooks()["shellcheck"]["entry"])
    [rcfile] = [word.split("=", 1)[1] for word in entry if word.startswith("--rcfile=")]
    assert (REPO / rcfile).resolve() == lint_shell.RCFILE == REPO / ".shellcheckrc"
    settings = lint_shell.RCFILE.read_text(encoding="utf-8")
    assert "shell=bash" in settings and "enable=check-unassigned-uppercase" in settings


@pytest.mark.parametrize(
    "hook_id, matches, ignores",
    [
        ("shellcheck", ["snippets/setup-2021/05-port-forward.sh"], ["scripts/test", "tests/fixtures/x/y.sh"]),
        ("structure", ["docs/index.md", "snippets/g/checks.yaml", "mkdocs.yml"], ["src/snipcheck/plugin.py"]),
        (
            "codespell",
            ["docs/index.en.md", "README.md", "src/snipcheck/selection.py", "tests/test_selection.py"],
            ["docs/index.md", "snippets/g/a.sh"],
        ),
    ],
)
def test_hook_file_patterns(hook_id, matches, ignores):
    pattern = re.compile(_hooks()[hook_id]["files"])
    assert all(pattern.search(path) for path in matches)
    assert not any(pattern.search(path) for path in ignores)


def test_fixtures_are_excluded_everywhere():
    exclude = re.compile(yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["exclude"])
    assert exclude.search("tests/fixtures/manifest/bad-yaml/demo/checks.yaml")
    assert not exclude.search("tests/test_manifest.py")


def test_structure_hook_runs_the_structural_tests():
    entry = shlex.split(_hooks()["structure"]["entry"])
    assert entry[0] == "scripts/test" and (REPO / entry[1]).name == "test_structure.py"


def test_shellcheck_hook_catches_an_unquoted_variable(tmp_path):
    bad = tmp_path / "bad.sh"
    bad.write_text("rm -rf $HOME/$folder\n", encoding="utf-8")
    done = _run_hook("shellcheck", bad)
    assert done.returncode != 0 and "SC2086" in done.stdout


def test_shellcheck_hook_applies_the_optional_checks_outside_the_repository(tmp_path):
    # check-unassigned-uppercase is off unless .shellcheckrc is read; the file lies where no search finds it.
    bad = tmp_path / "unset.sh"
    bad.write_text('curl -LO "$KFCTL_URL"\n', encoding="utf-8")
    done = _run_hook("shellcheck", bad)
    assert done.returncode != 0 and "SC2154" in done.stdout, done.stdout + done.stderr


def test_ruff_hooks_catch_an_unused_import_and_bad_formatting(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nx = {'a':1}\n", encoding="utf-8")
    done = _run_hook("ruff", bad)
    assert done.returncode != 0 and "F401" in done.stdout, done.stdout + done.stderr
    done = _run_hook("ruff-format", bad)
    assert done.returncode != 0 and '+x = {"a": 1}' in done.stdout, done.stdout + done.stderr


def test_yamllint_hook_catches_a_duplicate_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("snippets:\n  a.sh: {}\n  a.sh: {}\n", encoding="utf-8")
    done = _run_hook("yamllint", bad)
    assert done.returncode != 0 and "duplication of key" in done.stdout


def test_yamllint_hook_allows_long_lines(tmp_path):
    good = tmp_path / "long.yaml"
    good.write_text("reason: " + ("a very long sentence " * 10).strip() + "\n", encoding="utf-8")
    assert _run_hook("yamllint", good).returncode == 0


def test_codespell_hook_catches_a_typo_and_keeps_its_ignore_list(tmp_path):
    bad = tmp_path / "bad.en.md"
    typo = "rec" + "ieve"  # spelt out in pieces, so this file itself passes the hook
    bad.write_text(f"The pods {typo} traffic.\n", encoding="utf-8")
    done = _run_hook("codespell", bad)
    assert done.returncode != 0 and f"{typo} ==> receive" in done.stdout
    ignored = tmp_path / "ignored.py"
    ignored.write_text("key = 'timout'  # misspelt on purpose\n", encoding="utf-8")
    assert _run_hook("codespell", ignored).returncode == 0
