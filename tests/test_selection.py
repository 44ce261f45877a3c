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
from support.git_env import GIT_ENV

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "selection"


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    ).stdout


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
    # A failing item keeps its sandbox for debugging: in this test's own folder, not in the machine's /tmp.
    (root.parent / "tmp").mkdir(exist_ok=True)
    env = {**os.environ, **GIT_ENV, "TMPDIR": str(root.parent / "tmp")}
    env.pop("CI", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


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
        "snippets/alpha/checks.yaml::02-use.sh::cluster",  # same chain: its cluster step only
        "tests/test_structure.py::test_structure_fixture",
    }, out
    assert "selected snippets/alpha/01-create.sh: changed (working tree)" in out
    assert "selected snippets/alpha/02-use.sh [cluster]: same chain alpha-chain as snippets/alpha/01-create.sh" in out
    assert "pages that embed a changed snippet: docs/index.en.md:10, docs/index.md:10" in out


def test_under_two_workers_the_selection_is_printed_once_and_nothing_to_run_passes(site):
    workers = ["-n", "2", "--dist", "loadgroup", "-v", f"--report={site.parent / 'report.json'}"]
    done = _pytest(site, "--changed", *workers)
    assert done.returncode == 0 and done.stdout.count("nothing to run: no file changed") == 1, done.stdout
    _append(site / "snippets/alpha/01-create.sh", "echo again\n")
    done = _pytest(site, "--changed", *workers)
    out = done.stdout + done.stderr
    assert out.count("selected snippets/alpha/01-create.sh: changed (working tree)") == 1, out
    assert out.count("--changed: 4 item(s) kept") == 1, out
    assert re.search(r"^\[gw\d\] .* snippets/alpha/checks.yaml::01-create.sh::static", out, re.MULTILINE), out


def test_any_file_of_a_chain_group_reruns_the_chain(site):
    _append(site / "snippets/alpha/config.yaml", "size: 2\n")
    ids, out = _collected(site, "--changed")
    assert {i for i in ids if i.startswith("snippets/")} == {
        "snippets/alpha/checks.yaml::config.yaml::static",
        "snippets/alpha/checks.yaml::01-create.sh::cluster",
        "snippets/alpha/checks.yaml::02-use.sh::cluster",
    }, out
    assert (
        "selected snippets/alpha/01-create.sh [cluster]: chain alpha-chain runs in a copy of snippets/alpha/, "
        "and snippets/alpha/config.yaml changed (working tree)"
    ) in out


def test_committed_change_counts_against_main(site):
    _git(site, "checkout", "-q", "-b", "topic")
    _append(site / "snippets/beta/other.sh", "echo more\n")
    _git(site, "commit", "-q", "-am", "edit other.sh")
    ids, out = _collected(site, "--changed")
    assert {i for i in ids if i.startswith("snippets/")} == {
        "snippets/beta/checks.yaml::other.sh::static",
        "snippets/beta/checks.yaml::other.sh::local",
    }, out
    assert re.search(r"selected snippets/beta/other.sh: changed since [0-9a-f]{10}", out), out


def test_untracked_and_expected_output_changes_count(site):
    (site / "docs" / "new.md").write_text("# 새 페이지\n", encoding="utf-8")
    _append(site / "snippets/beta/say.out", "more\n")
    ids, out = _collected(site, "--changed")
    assert "snippets/beta/checks.yaml::say.sh::local" in ids, out
    assert "snippets/beta/checks.yaml::other.sh::local" not in ids, out
    assert "tests/test_structure.py::test_structure_fixture" in ids
    assert "selected snippets/beta/say.sh: its expected output snippets/beta/say.out changed (working tree)" in out
    assert WALKTHROUGH in ids  # say.sh is a step of it
    assert (
        "selected walkthrough say-and-other of docs/walk.md: its step snippets/beta/say.sh (docs/walk.md:5): "
        "its expected output snippets/beta/say.out changed (working tree)"
    ) in out


def test_changed_checks_yaml_selects_its_group_only(site):
    _append(site / "snippets/beta/checks.yaml", "# a comment\n")
    ids, out = _collected(site, "--changed")
    snippets = {i.split("::")[1] for i in ids if i.startswith("snippets/")}
    assert snippets == {"say.sh", "other.sh"}, out
    assert "selected snippets/beta/other.sh: its snippets/beta/checks.yaml changed (working tree)" in out


WALKTHROUGH = "docs/walk.md::walkthrough::say-and-other"


def test_edited_page_or_twin_selects_its_walkthroughs(site):
    _append(site / "docs/walk.en.md", "More prose.\n")
    ids, out = _collected(site, "--changed")
    assert ids == {WALKTHROUGH, "tests/test_structure.py::test_structure_fixture"}, out
    assert "selected walkthrough say-and-other of docs/walk.md: its page docs/walk.en.md changed (working tree)" in out


def test_edited_page_selects_no_item_for_its_chain_section(site):
    # A where=cluster section is run by its chain's items; a page edit alone reruns the structure tests.
    _append(site / "docs/index.md", "More prose.\n")
    ids, out = _collected(site, "--changed")
    assert ids == {"tests/test_structure.py::test_structure_fixture"}, out
    assert "selected walkthrough" not in out


def test_edited_step_selects_the_walkthrough_and_judges_it_as_the_full_run(site):
    _append(site / "snippets/beta/other.sh", "exit 3\n")
    ids, out = _collected(site, "--changed")
    assert WALKTHROUGH in ids, out
    assert (
        "selected walkthrough say-and-other of docs/walk.md: its step snippets/beta/other.sh (docs/walk.md:9): "
        "changed (working tree)"
    ) in out
    changed = _pytest(site, "-rA", "--report", "changed.json", "--changed")
    full = _pytest(site, "-rA", "--report", "full.json")
    assert f"FAILED {WALKTHROUGH}" in changed.stdout and f"FAILED {WALKTHROUGH}" in full.stdout, changed.stdout[-3000:]


def test_engine_module_selects_the_tests_that_import_it(site):
    _append(site / "src/snipcheck/runner.py", "# edited\n")
    ids, out = _collected(site, "--changed")
    # test_runner.py imports it; test_runner_more.py through tests/support/stand_in.py, inside a function.
    assert ids == {
        "tests/test_runner.py::test_runner_fixture",
        "tests/test_runner_more.py::test_runner_more_fixture",
    }, out
    assert (
        "selected tests/test_runner_more.py: src/snipcheck/runner.py changed (working tree): "
        "tests/test_runner_more.py runs it (tests/support/stand_in.py -> src/snipcheck/runner.py)"
    ) in out


def test_unmapped_change_selects_everything_and_says_why(site):
    _append(site / "notes.txt", "a file no rule knows\n")
    ids, out = _collected(site, "--changed")
    assert "tests/test_report.py::test_report_fixture" in ids and "snippets/beta/checks.yaml::say.sh::local" in ids
    assert "selected everything: notes.txt new (untracked), and no rule maps it to the checks it can affect" in out, out


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
    done = subprocess.run(
        [sys.executable, "-m", "snipcheck.selection", "plan", *base],
        cwd=not_a_repo,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)},
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "is not inside a git repository" in done.stderr


def test_command_line_unknown_base(site):
    done = subprocess.run(
        [sys.executable, "-m", "snipcheck.selection", "plan", "nope"],
        cwd=site,
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert (done.returncode, done.stderr) == (
        2,
        "scripts/test --changed: unknown BASE 'nope': not a commit, branch or tag of this repository\n",
    )


def _plan(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "snipcheck.selection", "plan"], cwd=site, capture_output=True, text=True, timeout=60
    )


def test_command_line_plan_says_nothing_to_run_without_pytest_and_is_silent_on_a_change(site):
    done = _plan(site)
    head = _git(site, "rev-parse", "HEAD").strip()
    assert (done.returncode, done.stderr) == (selection.NOTHING_TO_RUN, "")
    assert done.stdout.splitlines() == [
        f"--changed: 0 changed file(s) against merge base of HEAD and main, {head[:10]}",
        "nothing to run: no file changed",
    ]
    _append(site / "snippets/alpha/01-create.sh", "echo again\n")
    assert (_plan(site).returncode, _plan(site).stdout) == (0, "")


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


@pytest.mark.parametrize(
    "path, edit, snippet, expected",
    [
        ("snippets/alpha/hello.sh", "echo hello again\n", "hello.sh", "PASSED"),
        ("snippets/alpha/hello.sh", "echo broken >&2\nexit 3\n", "hello.sh", "FAILED"),
        ("snippets/beta/say.out", "a line say.sh never prints\n", "say.sh", "FAILED"),  # only its expected output
    ],
)
def test_changed_run_judges_the_edited_snippet_as_the_full_run(site, path, edit, snippet, expected):
    _append(site / path, edit)
    full = _pytest(site, "-rA", "--report", "full.json")
    changed = _pytest(site, "-rA", "--report", "changed.json", "--changed")
    full_outcome, changed_outcome = _outcomes(full.stdout, snippet), _outcomes(changed.stdout, snippet)
    local = f"snippets/{path.split('/')[1]}/checks.yaml::{snippet}::local"
    assert full_outcome.get(local) == expected, full.stdout[-3000:]
    assert changed_outcome == full_outcome, changed.stdout[-3000:]
    if expected == "FAILED":  # the whole --changed run fails with it (other items may fail the full run)
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
    checks.write_text(
        checks.read_text(encoding="utf-8").replace("snippets:\n", "  include: [beta]\nsnippets:\n", 1), encoding="utf-8"
    )
    layout = Layout(root)
    chosen = selection.select(
        {"snippets/beta/other.sh": "changed (working tree)"}, manifest.load(layout.snippets_dir), layout, []
    )
    assert set(chosen.snippets) == {"beta/other.sh"}
    assert set(chosen.chain_steps) == {"alpha/01-create.sh", "alpha/02-use.sh"}
    assert chosen.chain_steps["alpha/02-use.sh"].startswith("chain alpha-chain runs in a copy of snippets/beta/")


def test_a_change_to_a_step_joined_from_another_group_reruns_the_whole_chain(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    checks = root / "snippets/beta/checks.yaml"
    checks.write_text(
        checks.read_text(encoding="utf-8").replace(
            "    local: {}\n    cluster: needs no cluster\n",
            "    local: {}\n    cluster: {chain: alpha-chain, after: 01-create.sh}\n",
        ),
        encoding="utf-8",
    )
    layout = Layout(root)
    loaded = manifest.load(layout.snippets_dir)
    assert loaded.chains["alpha-chain"].steps == ("alpha/01-create.sh", "beta/other.sh", "alpha/02-use.sh")
    chosen = selection.select({"snippets/beta/other.sh": "changed (working tree)"}, loaded, layout, [])
    assert set(chosen.snippets) == {"beta/other.sh"}
    assert chosen.chain_steps == {
        step: "same chain alpha-chain as snippets/beta/other.sh" for step in ("alpha/01-create.sh", "alpha/02-use.sh")
    }
    # Any file of the joining group is in the chain's working folder, as an include's would be.
    chosen = selection.select({"snippets/beta/say.sh": "changed (working tree)"}, loaded, layout, [])
    assert set(chosen.chain_steps) == {"alpha/01-create.sh", "beta/other.sh", "alpha/02-use.sh"}
    assert chosen.chain_steps["beta/other.sh"].startswith("chain alpha-chain runs in a copy of snippets/beta/")


def test_run_configuration_changes_select_everything():
    for path in (
        "requirements/tools.txt",
        "scripts/site",
        ".ci/run",
        "pyproject.toml",
        "mkdocs.yml",
        ".github/workflows/pages.yml",
        "tests/conftest.py",
    ):
        assert _select({path: "changed (working tree)"}).everything == f"{path} changed (working tree)"


def test_an_engine_file_outside_the_graph_selects_everything():
    chosen = _select({"src/snipcheck/gone.py": "changed since 0123456789"})
    assert chosen.everything == (
        "src/snipcheck/gone.py changed since 0123456789, and it is not a module of the "
        "import graph (deleted, or not Python)"
    )


def test_fixture_nobody_names_selects_everything():
    # Fixtures are mapped by what the test sources name, never by a folder matching a test's name.
    chosen = _select({"tests/fixtures/runner/case.txt": "new (untracked)"})
    assert chosen.everything == (
        "tests/fixtures/runner/case.txt new (untracked), and no test names "
        "tests/fixtures/runner/ (so what reads it is unknown)"
    )


def test_helper_under_tests_selects_the_tests_importing_it():
    chosen = _select({"tests/support/stand_in.py": "changed (working tree)"})
    assert (set(chosen.test_files), chosen.everything) == ({"tests/test_runner_more.py"}, None)


def test_page_change_selects_only_the_structural_checks():
    chosen = _select({"docs/other.en.md": "changed (working tree)"})
    assert (chosen.snippets, chosen.chain_steps, set(chosen.test_files)) == ({}, {}, {"tests/test_structure.py"})
    assert chosen.walkthroughs == {}  # docs/other.md marks no walkthrough


def test_a_page_selects_its_walkthroughs_and_a_step_selects_its_walkthrough():
    assert _select({"docs/walk.md": "new (untracked)"}).walkthroughs == {
        "docs/walk.md::say-and-other": "its page docs/walk.md new (untracked)"
    }
    assert _select({"snippets/beta/checks.yaml": "changed (working tree)"}).walkthroughs == {
        "docs/walk.md::say-and-other": "its step snippets/beta/say.sh (docs/walk.md:5): its snippets/beta/checks.yaml "
        "changed (working tree)"
    }
    assert _select({"snippets/alpha/hello.sh": "changed (working tree)"}).walkthroughs == {}


class _WalkthroughItem:
    """Stands in for an item of the walkthrough collector (known to --changed by the module defining it)."""

    def __init__(self, page: str, name: str):
        self.path, self.name = FIXTURE / page, name


_WalkthroughItem.__module__ = "snipcheck.walkthrough.items"


def test_items_are_wanted_by_their_walkthrough_or_by_their_collector():
    item, other = _WalkthroughItem("docs/walk.md", "say-and-other"), _WalkthroughItem("docs/walk.md", "another")
    chosen = _select({"docs/walk.en.md": "changed (working tree)"})
    assert chosen.wants(item, FIXTURE) and not chosen.wants(other, FIXTURE)
    chosen.collectors["snipcheck.walkthrough.items"] = "src/snipcheck/walkthrough/attempt.py changed"
    assert chosen.wants(other, FIXTURE)
    lines = selection.describe(chosen, "HEAD", lambda _: [])
    assert "selected every item of snipcheck.walkthrough.items: src/snipcheck/walkthrough/attempt.py changed" in lines


def test_nothing_to_run_only_when_no_file_changed():
    assert selection.describe(_select({}), "HEAD", lambda _: [])[-1] == "nothing to run: no file changed"
    chosen = _select({"docs/other.en.md": "changed (working tree)"})
    assert not any("nothing to run" in line for line in selection.describe(chosen, "HEAD", lambda _: []))
