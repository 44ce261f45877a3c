"""--changed: what a change selects and why, its git errors, and that it judges a snippet as the full run does."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from snipcheck import manifest, selection
from snipcheck.structure import Layout

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "selection"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout


@pytest.fixture
def site(tmp_path) -> Path:
    """The fixture site as a git repository with one commit on main."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "fixture")
    return root


def _pytest(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV}
    env.pop("CI", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=root,
                          capture_output=True, text=True, env=env, timeout=300)


def _collected(root: Path, *args: str) -> tuple[set[str], str]:
    done = _pytest(root, "--collect-only", "-q", *args)
    ids = {line for line in done.stdout.splitlines() if "::" in line and " " not in line}
    return ids, done.stdout + done.stderr


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


# --- selection in a real git repository, through pytest ---------------------------------------------

def test_nothing_changed_selects_nothing_and_passes(site):
    ids, out = _collected(site, "--changed")
    assert ids == set(), out
    assert "nothing to run" in out
    assert _pytest(site, "-q", "--changed").returncode == 0


def test_edited_snippet_selects_its_items_and_its_chain(site):
    _append(site / "snippets/alpha/01-create.sh", "echo again\n")
    ids, out = _collected(site, "--changed")
    assert ids == {
        "snippets/alpha/checks.yaml::01-create.sh::static",
        "snippets/alpha/checks.yaml::01-create.sh::cluster",
        "snippets/alpha/checks.yaml::02-use.sh::cluster",            # same chain: its cluster step only
        "tests/test_structure.py::test_structure_fixture",
    }, out
    assert "selected snippets/alpha/01-create.sh: changed (working tree)" in out
    assert "selected snippets/alpha/02-use.sh [cluster]: same chain alpha-chain as snippets/alpha/01-create.sh" in out
    assert "pages that embed a changed snippet: docs/index.en.md:8, docs/index.md:8" in out


def test_any_file_of_a_chain_group_reruns_the_chain(site):
    _append(site / "snippets/alpha/config.yaml", "size: 2\n")
    ids, out = _collected(site, "--changed")
    assert {i for i in ids if i.startswith("snippets/")} == {
        "snippets/alpha/checks.yaml::config.yaml::static",
        "snippets/alpha/checks.yaml::01-create.sh::cluster",
        "snippets/alpha/checks.yaml::02-use.sh::cluster",
    }, out
    assert ("selected snippets/alpha/01-create.sh [cluster]: chain alpha-chain runs in a copy of snippets/alpha/, "
            "and snippets/alpha/config.yaml changed (working tree)") in out


def test_committed_change_counts_against_main(site):
    _git(site, "checkout", "-q", "-b", "topic")
    _append(site / "snippets/beta/other.sh", "echo more\n")
    _git(site, "commit", "-q", "-am", "edit other.sh")
    ids, out = _collected(site, "--changed")
    assert {i for i in ids if i.startswith("snippets/")} == {
        "snippets/beta/checks.yaml::other.sh::static", "snippets/beta/checks.yaml::other.sh::local"}, out
    assert re.search(r"selected snippets/beta/other.sh: changed since [0-9a-f]{10}", out), out


def test_untracked_and_expected_output_changes_count(site):
    (site / "docs" / "new.md").write_text("# 새 페이지\n", encoding="utf-8")
    _append(site / "snippets/beta/say.out", "more\n")
    ids, out = _collected(site, "--changed")
    assert "snippets/beta/checks.yaml::say.sh::local" in ids, out
    assert "snippets/beta/checks.yaml::other.sh::local" not in ids, out
    assert "tests/test_structure.py::test_structure_fixture" in ids
    assert "selected snippets/beta/say.sh: its expected output snippets/beta/say.out changed (working tree)" in out


def test_changed_checks_yaml_selects_its_group_only(site):
    _append(site / "snippets/beta/checks.yaml", "# a comment\n")
    ids, out = _collected(site, "--changed")
    snippets = {i.split("::")[1] for i in ids if i.startswith("snippets/")}
    assert snippets == {"say.sh", "other.sh"}, out
    assert "selected snippets/beta/other.sh: its snippets/beta/checks.yaml changed (working tree)" in out


def test_engine_module_selects_its_unit_tests(site):
    _append(site / "src/snipcheck/runner.py", "# edited\n")
    ids, out = _collected(site, "--changed")
    assert ids == {"tests/test_runner.py::test_runner_fixture",
                   "tests/test_runner_more.py::test_runner_more_fixture"}, out


def test_explicit_base(site):
    first = _git(site, "rev-parse", "HEAD").strip()
    _append(site / "snippets/alpha/hello.sh", "echo two\n")
    _git(site, "commit", "-q", "-am", "edit hello.sh")
    ids, _ = _collected(site, "--changed=HEAD")
    assert not any(i.startswith("snippets/") for i in ids)
    ids, out = _collected(site, f"--changed={first}")
    assert "snippets/alpha/checks.yaml::hello.sh::local" in ids, out


def test_base_ahead_of_head_counts_only_this_branch(site):
    _git(site, "checkout", "-q", "-b", "topic")
    _append(site / "snippets/beta/other.sh", "echo topic\n")
    _git(site, "commit", "-q", "-am", "topic edits other.sh")
    _git(site, "checkout", "-q", "main")
    _append(site / "snippets/alpha/hello.sh", "echo main\n")
    _git(site, "commit", "-q", "-am", "main moves on")
    _git(site, "checkout", "-q", "topic")
    ids, out = _collected(site, "--changed=main")
    assert {i.split("::")[1] for i in ids if i.startswith("snippets/")} == {"other.sh"}, out


def test_unknown_base_is_one_clear_line(site):
    done = _pytest(site, "-q", "--changed=no-such-branch")
    assert done.returncode != 0
    assert "--changed: unknown BASE 'no-such-branch'" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("base", [[], ["no-such-branch"]])
def test_command_line_errors_exit_2_without_traceback(tmp_path, base):
    not_a_repo = tmp_path / "plain"
    not_a_repo.mkdir()
    done = subprocess.run([sys.executable, "-m", "snipcheck.selection", "base", *base], cwd=not_a_repo,
                          capture_output=True, text=True, env={**os.environ,
                                                               "GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "is not inside a git repository" in done.stderr


def test_command_line_unknown_base(site):
    done = subprocess.run([sys.executable, "-m", "snipcheck.selection", "base", "nope"], cwd=site,
                          capture_output=True, text=True, env={**os.environ})
    assert (done.returncode, done.stderr) == (2, "scripts/test --changed: unknown BASE 'nope': "
                                                 "not a commit, branch or tag of this repository\n")


def test_default_base_without_main_is_head(site):
    _git(site, "branch", "-m", "main", "trunk")
    commit, how = selection.resolve_base(site, None)
    assert how == "HEAD (main is absent)" and commit == _git(site, "rev-parse", "HEAD").strip()


# --- the exactness promise: --changed judges the edited snippet as the full run does ----------------

def _outcomes(output: str, snippet: str) -> dict[str, str]:
    found = {}
    for status, nodeid in re.findall(r"^(PASSED|FAILED|ERROR|SKIPPED) (\S+)", output, re.M):
        if f"::{snippet}::" in nodeid:
            found[nodeid] = status
    return found


@pytest.mark.parametrize("edit, expected", [
    ("echo hello again\n", "PASSED"),
    ("echo broken >&2\nexit 3\n", "FAILED"),
])
def test_changed_run_judges_the_edited_snippet_as_the_full_run(site, edit, expected):
    _append(site / "snippets/alpha/hello.sh", edit)
    full = _pytest(site, "-rA", "--report", "full.json")
    changed = _pytest(site, "-rA", "--report", "changed.json", "--changed")
    full_outcome, changed_outcome = _outcomes(full.stdout, "hello.sh"), _outcomes(changed.stdout, "hello.sh")
    local = "snippets/alpha/checks.yaml::hello.sh::local"
    assert full_outcome.get(local) == expected, full.stdout[-3000:]
    assert changed_outcome == full_outcome, changed.stdout[-3000:]
    if expected == "FAILED":          # the whole --changed run fails with it (other items may fail the full run)
        assert changed.returncode == 1 and full.returncode == 1


# --- the selection rules, without git ----------------------------------------------------------------

def _select(changed: dict[str, str]) -> selection.Selection:
    layout = Layout(FIXTURE)
    tests = sorted(f"tests/{p.name}" for p in (FIXTURE / "tests").glob("test_*.py"))
    return selection.select(changed, manifest.load(layout.snippets_dir), layout, tests)


def test_change_in_an_included_group_reruns_the_chain(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    checks = root / "snippets/alpha/checks.yaml"
    checks.write_text(checks.read_text(encoding="utf-8").replace("snippets:\n", "  include: [beta]\nsnippets:\n", 1),
                      encoding="utf-8")
    layout = Layout(root)
    chosen = selection.select({"snippets/beta/other.sh": "changed (working tree)"},
                              manifest.load(layout.snippets_dir), layout, [])
    assert set(chosen.snippets) == {"beta/other.sh"}
    assert set(chosen.chain_steps) == {"alpha/01-create.sh", "alpha/02-use.sh"}
    assert chosen.chain_steps["alpha/02-use.sh"].startswith("chain alpha-chain runs in a copy of snippets/beta/")


def test_plugin_or_manifest_change_selects_everything():
    for path in ("src/snipcheck/plugin.py", "src/snipcheck/manifest.py", "requirements/tools.txt"):
        assert _select({path: "changed (working tree)"}).everything == f"{path} changed (working tree)"


def test_fixture_change_selects_the_tests_of_that_name():
    chosen = _select({"tests/fixtures/runner/case.txt": "new (untracked)"})
    assert set(chosen.test_files) == {"tests/test_runner.py", "tests/test_runner_more.py"}


def test_page_change_selects_only_the_structural_checks():
    chosen = _select({"docs/other.en.md": "changed (working tree)"})
    assert (chosen.snippets, chosen.chain_steps, set(chosen.test_files)) == ({}, {}, {"tests/test_structure.py"})


def test_unrelated_change_selects_nothing():
    chosen = _select({".github/workflows/pages.yml": "changed (working tree)"})
    assert not (chosen.snippets or chosen.chain_steps or chosen.test_files or chosen.everything)
    assert selection.describe(chosen, "HEAD", lambda _: [])[-1].startswith("nothing to run")
