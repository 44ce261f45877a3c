""".pre-commit-config.yaml: valid, local-only (works offline), and each hook able to fail on a broken file."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

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
    return subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=120)


def test_pre_commit_validates_the_config(tmp_path):
    done = subprocess.run([str(TOOLS / "pre-commit"), "validate-config", str(CONFIG)], cwd=REPO,
                          capture_output=True, text=True, env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_hook_is_local_and_uses_the_tools_environment():
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in data["repos"]] == ["local"]          # nothing to fetch
    hooks = _hooks()
    assert set(hooks) == {"shellcheck", "structure", "yamllint", "codespell"}
    for hook in hooks.values():
        assert hook["language"] == "system"
        program = shlex.split(hook["entry"])[0]
        assert program.startswith((".venvs/tools/bin/", "scripts/")), program


@pytest.mark.parametrize("hook_id, matches, ignores", [
    ("shellcheck", ["snippets/setup-2021/05-port-forward.sh"], ["scripts/test", "tests/fixtures/x/y.sh"]),
    ("structure", ["docs/index.md", "snippets/g/checks.yaml", "mkdocs.yml"], ["src/snipcheck/plugin.py"]),
    ("codespell", ["docs/index.en.md", "README.md", "src/snipcheck/selection.py", "tests/test_selection.py"],
     ["docs/index.md", "snippets/g/a.sh"]),
])
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
    bad.write_text('rm -rf $HOME/$folder\n', encoding="utf-8")
    done = _run_hook("shellcheck", bad)
    assert done.returncode != 0 and "SC2086" in done.stdout


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
    bad.write_text("The pods recieve traffic.\n", encoding="utf-8")
    done = _run_hook("codespell", bad)
    assert done.returncode != 0 and "recieve ==> receive" in done.stdout
    ignored = tmp_path / "ignored.py"
    ignored.write_text("key = 'timout'  # misspelt on purpose\n", encoding="utf-8")
    assert _run_hook("codespell", ignored).returncode == 0
