"""--changed over the real repository: every engine module selects a test, and a replay of the last 20
commits' changed files against ground truth that does not come from the selection rules.

The ground truth for an engine file is a dynamic import map: each test module (and each tier module, and the
walkthrough collector) is imported in a fresh subprocess-side namespace and the snipcheck modules that actually
got loaded are recorded. For a snippet file it is the manifest: the items of the snippet the file is, or whose
expected output it is, and the cluster steps of every chain whose folders hold it; and the walkthroughs the
collector's own page reader (walkthrough/page.py) finds with that snippet as a step. For a page it is that
reader's walkthroughs of the page (or of its Korean twin). The break-and-compare runs in
tests/test_selection.py show that the selected items judge a snippet as the full run does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from snipcheck import imports, manifest, pages, selection
from snipcheck.structure import Layout
from snipcheck.walkthrough import page as walkthrough_page

REPO = Path(__file__).resolve().parent.parent
TESTS = sorted(f"tests/{p.name}" for p in (REPO / "tests").glob("test_*.py"))
TIER_MODULES = {"static": "snipcheck.static.tier", "local": "snipcheck.local.tier", "cluster": "snipcheck.cluster.tier"}
COLLECTORS = ["snipcheck.walkthrough.items"]  # engine modules defining pytest items besides plugin.py

# Imports each module named on the command line with every snipcheck and tests/ module forgotten first,
# and prints which of them the import loaded (third-party modules stay cached: they are not ours).
PROBE = r"""
import importlib, json, sys
ours = lambda name: name == "snipcheck" or name.startswith("snipcheck.") or name == "support" \
    or name.startswith(("support.", "test_"))
loaded = {}
for name in sys.argv[1:]:
    for old in [m for m in sys.modules if ours(m)]:
        del sys.modules[old]
    importlib.import_module(name)
    loaded[name] = sorted(m for m in sys.modules if ours(m) and m != name)
print(json.dumps(loaded))
"""


@pytest.fixture(scope="module")
def graph() -> imports.Graph:
    return imports.build(REPO)


@pytest.fixture(scope="module")
def repo():
    layout = Layout(REPO)
    return layout, manifest.load(layout.snippets_dir)


@pytest.fixture(scope="module")
def loaded(graph) -> dict[str, set[str]]:
    """Module or test file -> the files of our modules that importing it loads (the dynamic import map)."""
    names = [Path(t).stem for t in TESTS] + list(TIER_MODULES.values()) + COLLECTORS
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *names], cwd=REPO / "tests", capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    known = set(graph.edges)
    result = {}
    for name, modules in json.loads(done.stdout).items():
        key = f"tests/{name}.py" if name.startswith("test_") else name
        result[key] = {f for m in modules if (f := imports.file_of(m, known))}
    return result


def _select(path: str, graph, repo) -> selection.Selection:
    layout, snippets = repo
    return selection.select({path: "changed since BASE"}, snippets, layout, TESTS, graph)


# --- every engine module is covered ------------------------------------------------------------------

ENGINE_FILES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "src/snipcheck").rglob("*.py"))


@pytest.mark.parametrize("path", ENGINE_FILES)
def test_every_engine_module_selects_a_test(path, graph, repo):
    chosen = _select(path, graph, repo)
    assert chosen.everything or chosen.test_files, f"{path} selects no test"


def test_runner_change_selects_its_importers_and_every_tier(graph, repo):
    chosen = _select("src/snipcheck/runner.py", graph, repo)
    if chosen.everything:  # when a module plugin.py runs for every item imports runner.py, say which
        assert chosen.everything.startswith(
            "src/snipcheck/runner.py changed since BASE: the plugin runs it for every item (src/snipcheck/plugin.py -> "
        )
        return
    assert set(chosen.tiers) == {"static", "local", "cluster"}
    assert {"tests/test_execute.py", "tests/test_kubectl_contract.py", "tests/test_background.py"} <= set(
        chosen.test_files
    )
    assert "tests/test_compare.py" not in chosen.test_files  # compare.py never imports runner.py


def test_a_module_only_one_tier_runs_selects_that_tier(graph, repo):
    chosen = _select("src/snipcheck/static/pins.py", graph, repo)
    assert set(chosen.tiers) == {"static"}
    assert chosen.tiers["static"].startswith(
        "src/snipcheck/static/pins.py changed since BASE: every static item runs it (src/snipcheck/static/tier.py -> "
    )


def test_the_collectors_are_found_from_the_graph(graph):
    found = {imports.module_name(f) for f in graph.items if f != "src/snipcheck/plugin.py"}
    assert found == set(COLLECTORS)


def test_a_module_only_the_walkthroughs_run_selects_every_walkthrough(graph, repo):
    chosen = _select("src/snipcheck/walkthrough/attempt.py", graph, repo)
    assert (chosen.everything, chosen.tiers, set(chosen.collectors)) == (None, {}, set(COLLECTORS))
    assert chosen.collectors[COLLECTORS[0]].startswith(
        "src/snipcheck/walkthrough/attempt.py changed since BASE: every WalkthroughItem runs it "
        "(src/snipcheck/walkthrough/items.py -> "
    )
    assert "tests/test_walkthrough.py" in chosen.test_files


def test_plugin_and_what_it_runs_for_every_item_select_everything(graph, repo):
    for path in (
        "src/snipcheck/plugin.py",
        "src/snipcheck/manifest.py",
        "src/snipcheck/tiers.py",
        "src/snipcheck/selection.py",
        "src/snipcheck/imports.py",
    ):
        assert _select(path, graph, repo).everything, path


def test_the_site_hook_is_a_dependency_of_the_tests_that_build_the_site(graph, repo):
    # No test imports hook.py; mkdocs loads it from mkdocs.yml's hooks:, and these tests run mkdocs.
    chosen = _select("src/snipcheck/site/words.py", graph, repo)
    assert {"tests/test_site_build.py", "tests/test_site_hook.py", "tests/test_links.py"} <= set(chosen.test_files)
    assert not chosen.tiers and chosen.everything is None


def test_page_selects_structure_and_site_tests(graph, repo):
    chosen = _select("docs/index.md", graph, repo)
    assert {"tests/test_structure.py", "tests/test_site_build.py", "tests/test_links.py"} <= set(chosen.test_files)


def test_fixture_selects_the_tests_that_name_its_folder(graph, repo):
    chosen = _select("tests/fixtures/standins/kind", graph, repo)
    assert {"tests/test_cluster_tier.py", "tests/test_kind_cluster.py"} <= set(chosen.test_files)
    assert "tests/test_execute.py" not in chosen.test_files
    chosen = _select("tests/fixtures/broken/static/unpinned-url.py", graph, repo)
    assert "tests/test_static_tier.py" in chosen.test_files


# --- the static graph holds the dynamic one --------------------------------------------------------


def test_the_import_graph_holds_every_module_an_import_really_loads(graph, loaded):
    for name, files in loaded.items():
        start = name if name.startswith("tests/") else imports.file_of(name, set(graph.edges))
        missing = files - graph.closure(start)
        assert not missing, f"importing {name} loads {sorted(missing)}, which the import graph misses"


# --- replay of the last 20 commits --------------------------------------------------------------------


def _recent_changes() -> list[str]:
    done = subprocess.run(
        ["git", "-C", str(REPO), "log", "-20", "--name-only", "--format="], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"not a git checkout, so there is no history to replay: {done.stderr.strip()}")
    return sorted({line for line in done.stdout.splitlines() if line})


def _snippet_truth(path: str, snippets) -> set[tuple[str, str]]:
    """(snippet id, tier) items whose check reads path, from the manifest alone."""
    rel = path.removeprefix("snippets/")
    items = set()
    for snippet in snippets.snippets.values():
        if snippet.id == rel or snippets.companions.get(rel) == snippet.id:
            items |= {(snippet.id, tier) for tier, spec in snippet.tiers.items() if spec.applies}
    for chain in snippets.chains.values():
        if any(rel.startswith(f"{group}/") for group in (chain.group, *chain.include)):
            items |= {(step, "cluster") for step in chain.steps}
    return items


def _walkthroughs() -> dict[str, list[str]]:
    """Each walkthrough item ("docs/x.md::name") -> its steps' targets, read by the collector's own page reader."""
    found = {}
    layout = Layout(REPO)
    for page in pages.pages(layout.docs_dir):
        if pages.language_of(page) == "ko" and walkthrough_page.has_walkthroughs(page):
            rel = page.relative_to(REPO).as_posix()
            for walk in walkthrough_page.read(page, layout.docs_dir):
                if walk.where != "cluster":  # a chain section has no item: its chain's steps are its items
                    found[f"{rel}::{walk.name}"] = [step.target for step in walk.steps]
    return found


def _walkthrough_truth(path: str, snippets, walkthroughs: dict[str, list[str]]) -> set[str]:
    """The walkthroughs a changed page or snippet file must select."""
    if path.startswith("docs/") and path.endswith(".md"):
        korean = path.removesuffix(".en.md") + ".md" if path.endswith(".en.md") else path
        return {key for key in walkthroughs if key.startswith(f"{korean}::")}
    rel = path.removeprefix("snippets/")
    owner = rel if rel in snippets.snippets else snippets.companions.get(rel)
    return {key for key, steps in walkthroughs.items() if owner and f"snippets/{owner}" in steps}


def test_every_walkthrough_is_selected_by_its_pages_and_its_steps(graph, repo):
    walkthroughs = _walkthroughs()
    assert walkthroughs, "the site marks no walkthrough"
    _, snippets = repo
    for key, steps in walkthroughs.items():
        page = key.partition("::")[0]
        for path in (page, page.removesuffix(".md") + ".en.md", *steps):
            chosen = _select(path, graph, repo)
            assert key in chosen.walkthroughs, (path, key)
            assert set(chosen.walkthroughs) == _walkthrough_truth(path, snippets, walkthroughs), path


def _selects_item(chosen: selection.Selection, snippet_id: str, tier: str) -> bool:
    return (
        bool(chosen.everything)
        or snippet_id in chosen.snippets
        or tier in chosen.tiers
        or (tier == "cluster" and snippet_id in chosen.chain_steps)
    )


def test_replay_of_recent_changes_selects_all_the_ground_truth_says(graph, repo, loaded):
    layout, snippets = repo
    tier_files = {tier: imports.file_of(name, set(graph.edges)) for tier, name in TIER_MODULES.items()}
    walkthroughs = _walkthroughs()
    checked = 0
    for path in _recent_changes():
        chosen = _select(path, graph, repo)
        assert (
            chosen.everything
            or chosen.test_files
            or chosen.snippets
            or chosen.tiers
            or chosen.collectors
            or chosen.walkthroughs
        ), f"{path} selects nothing"
        if not chosen.everything:
            missing = _walkthrough_truth(path, snippets, walkthroughs) - set(chosen.walkthroughs)
            assert not missing, (path, missing)
        if path.startswith("src/snipcheck/") and path in graph.edges:
            needed = {test for test, files in loaded.items() if test.startswith("tests/") and path in files}
            assert chosen.everything or needed <= set(chosen.test_files), (path, needed - set(chosen.test_files))
            for tier, file in tier_files.items():
                if path == file or path in loaded[TIER_MODULES[tier]]:
                    assert chosen.everything or tier in chosen.tiers, (path, tier)
            for collector in COLLECTORS:
                if path == imports.file_of(collector, set(graph.edges)) or path in loaded[collector]:
                    assert chosen.everything or collector in chosen.collectors, (path, collector)
            checked += 1
        elif path.startswith("snippets/"):
            for snippet_id, tier in _snippet_truth(path, snippets):
                assert _selects_item(chosen, snippet_id, tier), (path, snippet_id, tier)
            assert chosen.everything or "tests/test_structure.py" in chosen.test_files, path
            checked += 1
    assert checked, "the replay compared no engine or snippet file"
