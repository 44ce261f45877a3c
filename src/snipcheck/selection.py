"""Change-based selection (`--changed [BASE]`): which test items a set of changed files can affect.

Every file that changed since BASE (committed, staged, unstaged and untracked alike) is mapped by the rules
below; a file no rule maps selects everything, so a real change can never select nothing. In order:
- scripts/, .ci/, requirements/, .github/workflows/, pyproject.toml, mkdocs.yml, a conftest.py: everything.
- an engine file (src/snipcheck/**.py): read through the import graph (imports.py). In the closure of
  plugin.py (outside the item runners: the tier modules, which plugin reaches only through tiers.TIERS, and
  each other engine module that defines pytest items, such as the walkthrough collector): everything, as
  every item runs it. Otherwise every test file that runs it (imports, directly or not, or loads it by name
  or as an MkDocs hook), the items of every tier whose module's closure holds it, and every item of each
  collector whose closure holds it.
- a snippet, its expected output, its checks.yaml, any file of a chain's folders: those snippets' items
  (a chain's cluster steps as a whole, with the steps other groups join to it), each walkthrough that has
  one of those snippets as a step, and the structural checks.
- a page or an asset under docs/: the structural checks and the tests that build the site; a page (or its
  English twin) also its own walkthroughs.
- tests/fixtures/<name>/...: the test files that reference that fixture folder (read from their sources).
- a test file: itself; a helper under tests/: the test files that import it.
- a top-level file a test names (".pre-commit-config.yaml"): those test files.
Git is asked through subprocess; its failures become one-line SelectionErrors.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import imports, page_walkthroughs, pages
from .manifest import MANIFEST_NAME
from .structure import Layout

DEFAULT_BRANCH = "main"
STRUCTURE_TESTS = "tests/test_structure.py"
TERMINOLOGY_TESTS = "tests/test_terminology.py"  # the Korean pages against the glossary
ENGINE = "src/snipcheck/"
PLUGIN, TIERS_FILE = "src/snipcheck/plugin.py", "src/snipcheck/tiers.py"
# What the test run itself is made of (its environments, configuration, entry points): everything runs.
EVERYTHING = {"pyproject.toml", "mkdocs.yml"}
EVERYTHING_DIRS = ("scripts/", ".ci/", "requirements/", ".github/workflows/")
# Labels for where a change was seen, strongest first (a file changed in several ways shows the first).
WORKING_TREE, UNTRACKED = "changed (working tree)", "new (untracked)"


class SelectionError(Exception):
    """--changed cannot work out the changed files (not a git repository, unknown BASE, no git)."""


# --- git ------------------------------------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise SelectionError("git is not installed, and it is needed to find the changed files") from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["(no message)"])[0]
        raise SelectionError(f"git {' '.join(args)} failed: {first}")
    return done.stdout


def _toplevel(root: Path) -> Path:
    try:
        return Path(_git(root, "rev-parse", "--show-toplevel").strip())
    except SelectionError:
        raise SelectionError(f"{root} is not inside a git repository, so there are no changes to find") from None


def resolve_base(root: Path, base: str | None) -> tuple[str, str]:
    """(commit, how it was chosen): the merge base of HEAD and BASE (default main; HEAD when main is absent)."""
    _toplevel(root)
    if base:
        try:
            commit = _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").strip()
        except SelectionError:
            raise SelectionError(f"unknown BASE {base!r}: not a commit, branch or tag of this repository") from None
        # Like `git diff BASE...HEAD`: what this branch changed since it left BASE, not what BASE did since.
        try:
            return _git(root, "merge-base", "HEAD", commit).strip(), f"merge base of HEAD and {base}"
        except SelectionError:
            raise SelectionError(f"BASE {base!r} shares no history with HEAD") from None
    if not _has_commit(root, "HEAD"):
        raise SelectionError("this repository has no commit yet, so there is nothing to compare with")
    if _has_commit(root, DEFAULT_BRANCH):
        commit = _git(root, "merge-base", "HEAD", DEFAULT_BRANCH).strip()
        return commit, f"merge base of HEAD and {DEFAULT_BRANCH}"
    return _git(root, "rev-parse", "HEAD").strip(), f"HEAD ({DEFAULT_BRANCH} is absent)"


def _has_commit(root: Path, name: str) -> bool:
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
        return True
    except SelectionError:
        return False


def _names(output: str) -> list[str]:
    return [name for name in output.split("\0") if name]


def changed_files(root: Path, commit: str) -> dict[str, str]:
    """Changed path (relative to root, posix) -> how it changed: since BASE, in the working tree, untracked."""
    top = _toplevel(root)
    found: dict[str, str] = {}
    kinds = (
        (WORKING_TREE, ("diff", "--name-only", "--no-renames", "-z", "HEAD")),
        (UNTRACKED, ("ls-files", "--others", "--exclude-standard", "-z", "--full-name")),
        (f"changed since {commit[:10]}", ("diff", "--name-only", "--no-renames", "-z", commit, "HEAD")),
    )
    for label, args in kinds:
        # ls-files names paths from the folder it runs in; run everything at the top so all agree.
        for name in _names(_git(top, *args)):
            rel = _below(top / name, root)
            if rel is not None:
                found.setdefault(rel, label)
    return found


def _below(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


# --- what the changes select -----------------------------------------------------------------------


@dataclass
class Selection:
    changed: dict[str, str]  # path -> how it changed
    snippets: dict[str, str] = field(default_factory=dict)  # snippet id -> why (all its tiers)
    chain_steps: dict[str, str] = field(default_factory=dict)  # snippet id -> why (its cluster tier only)
    tiers: dict[str, str] = field(default_factory=dict)  # tier name -> why (that tier of every snippet)
    collectors: dict[str, str] = field(default_factory=dict)  # module defining items -> why (all its items)
    walkthroughs: dict[str, str] = field(default_factory=dict)  # "docs/x.md::name" -> why
    test_files: dict[str, str] = field(default_factory=dict)  # tests/... path -> why
    everything: str | None = None  # why everything runs, when it does

    def wants(self, item, root: Path) -> bool:
        if self.everything or type(item).__module__ in self.collectors:
            return True
        snippet, tier = getattr(item, "snippet", None), getattr(item, "tier", None)
        if snippet is not None and tier is not None:
            return (
                snippet.id in self.snippets
                or tier.name in self.tiers
                or (tier.name == "cluster" and snippet.id in self.chain_steps)
            )
        path = _below(Path(item.path), root)
        # An item collected from a page (a walkthrough) is known by its page and its name.
        return path in self.test_files or f"{path}::{item.name}" in self.walkthroughs


def _snippet_reasons(changed: dict[str, str], manifest, snippets_dir: str) -> dict[str, str]:
    reasons = {}
    for snippet in manifest.snippets.values():
        own = f"{snippets_dir}/{snippet.id}"
        group_manifest = f"{snippets_dir}/{snippet.group}/{MANIFEST_NAME}"
        if own in changed:
            reasons[snippet.id] = changed[own]
        elif group_manifest in changed:
            reasons[snippet.id] = f"its {group_manifest} {changed[group_manifest]}"
    for companion, snippet_id in manifest.companions.items():
        path = f"{snippets_dir}/{companion}"
        if path in changed and snippet_id not in reasons:
            reasons[snippet_id] = f"its expected output {path} {changed[path]}"
    return reasons


def _chain_reasons(changed: dict[str, str], manifest, snippets_dir: str, chosen: dict[str, str]) -> dict[str, str]:
    """A chain runs as a whole, in a copy of its group (and of its include groups and the groups whose steps
    join it): a change to any of its steps or any file there reruns it."""
    reasons = {}
    for chain in manifest.chains.values():
        starter = next((step for step in chain.steps if step in chosen), None)
        why = (
            f"same chain {chain.name} as {snippets_dir}/{starter}"
            if starter
            else _chain_folder_change(changed, chain, snippets_dir)
        )
        if not why:
            continue
        for step in chain.steps:
            if step not in chosen:
                reasons[step] = why
    return reasons


def _walkthrough_reasons(changed: dict[str, str], layout, chosen: dict[str, str]) -> dict[str, str]:
    """A Korean page's walkthroughs ("docs/x.md::name") rerun when the page or its English twin changed, or
    when a step's snippet was chosen (its file, its checks.yaml or its expected output changed). A
    `where=cluster` section is not among them: its chain runs it, and the structure tests check it against
    the page."""
    reasons: dict[str, str] = {}
    for page in pages.pages(layout.docs_dir):
        if pages.language_of(page) != "ko":
            continue
        rel = _below(page, layout.root) or page.as_posix()
        twin = rel.removesuffix(".md") + ".en.md"
        touched = next((p for p in (rel, twin) if p in changed), None)
        for walk in page_walkthroughs.parse(page).walkthroughs:
            if walk.settings.get("where") == "cluster":
                continue  # no item of its own: its chain's steps are selected with their snippets
            why = (
                f"its page {touched} {changed[touched]}"
                if touched
                else _step_change(walk, rel, changed, layout.snippets, chosen)
            )
            if why:
                reasons[f"{rel}::{walk.name}"] = why
    return reasons


def _step_change(walk, rel: str, changed: dict[str, str], snippets_dir: str, chosen: dict[str, str]) -> str | None:
    for step in walk.steps:
        snippet_id = step.target.removeprefix(f"{snippets_dir}/")
        how = chosen.get(snippet_id) or changed.get(step.target)
        if how:
            return f"its step {step.target} ({rel}:{step.line}): {how}"
    return None


def _chain_folder_change(changed: dict[str, str], chain, snippets_dir: str) -> str | None:
    for group in chain.folders:
        touched = sorted(p for p in changed if p.startswith(f"{snippets_dir}/{group}/"))
        if touched:
            return (
                f"chain {chain.name} runs in a copy of {snippets_dir}/{group}/, and {touched[0]} {changed[touched[0]]}"
            )
    return None


@dataclass
class _Rules:
    """What the per-file rules read: the layout, the collected test files and the import graph."""

    layout: Layout
    tests: list[str]
    graph: imports.Graph
    tier_modules: dict[str, str] = field(default_factory=dict)  # tier name -> its module's file
    collectors: dict[str, str] = field(default_factory=dict)  # dotted module -> file, for item-defining modules
    plugin_core: set[str] = field(default_factory=set)  # what plugin.py runs for every item

    @classmethod
    def of(cls, layout, tests: list[str], graph: imports.Graph) -> _Rules:
        tier_modules = imports.module_dict(graph, TIERS_FILE, "TIERS")
        # The plugin's own items run a tier module each; an engine module defining other items runs them.
        collectors = {imports.module_name(f): f for f in graph.items if f.startswith(ENGINE) and f != PLUGIN}
        runners = frozenset(tier_modules.values()) | frozenset(collectors.values())
        core = graph.closure(PLUGIN, stop=runners) if PLUGIN in graph.edges else set()
        return cls(layout, tests, graph, tier_modules, collectors, core)

    def tests_running(self, target: str) -> list[str]:
        return [test for test in self.tests if target in self.graph.closure(test)]


def _route(path: str, why: str, chosen: Selection, rules: _Rules) -> str | None:
    """Record in chosen what a changed path selects; return why everything runs instead, when it does."""
    name, docs, snippets = PurePosixPath(path).name, f"{rules.layout.docs}/", f"{rules.layout.snippets}/"
    if path in EVERYTHING or path.startswith(EVERYTHING_DIRS) or (path.startswith("tests/") and name == "conftest.py"):
        return why
    if path.startswith(snippets):
        _add_tests(chosen, [STRUCTURE_TESTS], rules, "a snippet or a checks.yaml changed")
        return None
    if path.startswith(docs):
        _add_tests(chosen, [STRUCTURE_TESTS, TERMINOLOGY_TESTS], rules, f"{why} (pages are checked structurally)")
        _add_tests(chosen, _site_tests(rules), rules, f"{why} (it builds the site)")
        return None
    if path.startswith(ENGINE):
        return _engine(path, why, chosen, rules)
    if path.startswith(f"{imports.FIXTURES_DIR}/"):
        folder = "/".join(PurePosixPath(path).parts[:3])
        readers = rules.graph.fixture_users(folder)
        users = [t for t in rules.tests if t in readers]
        _add_tests(chosen, users, rules, f"{why} (it reads {folder}/)")
        return None if users else f"{why}, and no test names {folder}/ (so what reads it is unknown)"
    if path.startswith("tests/") and path.endswith(".py"):
        runners = rules.graph.users(path)
        users = [t for t in rules.tests if t == path or t in runners]
        _add_tests(chosen, users, rules, why)
        return None if users else f"{why}, and it is neither a collected test file nor imported by one"
    named = [t for t in rules.tests if "/" not in path and path in rules.graph.words.get(t, ())]
    _add_tests(chosen, named, rules, f"{why} (the test names it)")
    return None if named else f"{why}, and no rule maps it to the checks it can affect"


def _engine(path: str, why: str, chosen: Selection, rules: _Rules) -> str | None:
    if path not in rules.graph.edges:
        return f"{why}, and it is not a module of the import graph (deleted, or not Python)"
    if path in rules.plugin_core:
        chain = " -> ".join(imports.path_between(rules.graph, PLUGIN, path))
        return f"{why}: the plugin runs it for every item ({chain})"
    tiers = [tier for tier, module in sorted(rules.tier_modules.items()) if path in rules.graph.closure(module)]
    for tier in tiers:
        chain = " -> ".join(imports.path_between(rules.graph, rules.tier_modules[tier], path))
        chosen.tiers.setdefault(tier, f"{why}: every {tier} item runs it ({chain})")
    collectors = [name for name, module in sorted(rules.collectors.items()) if path in rules.graph.closure(module)]
    for name in collectors:
        module = rules.collectors[name]
        chain = " -> ".join(imports.path_between(rules.graph, module, path))
        kinds = "/".join(rules.graph.items[module])
        chosen.collectors.setdefault(name, f"{why}: every {kinds} runs it ({chain})")
    tests = rules.tests_running(path)
    for test in tests:
        chain = " -> ".join(imports.path_between(rules.graph, test, path)[1:])
        chosen.test_files.setdefault(test, f"{why}: {test} runs it ({chain})")
    return None if tiers or collectors or tests else f"{why}, and no test file, tier or collector runs it"


def _site_tests(rules: _Rules) -> list[str]:
    return [test for test in rules.tests if rules.graph.closure(test) & rules.graph.site]


def _add_tests(chosen: Selection, tests: list[str], rules: _Rules, why: str) -> None:
    for test in tests:
        if test in rules.tests:
            chosen.test_files.setdefault(test, why)


def select(
    changed: dict[str, str], manifest, layout, tests: list[str], graph: imports.Graph | None = None
) -> Selection:
    """What the changed files select, each with its reason."""
    snippets = _snippet_reasons(changed, manifest, layout.snippets)
    chosen = Selection(
        changed=changed,
        snippets=snippets,
        chain_steps=_chain_reasons(changed, manifest, layout.snippets, snippets),
        walkthroughs=_walkthrough_reasons(changed, layout, snippets),
    )
    rules = _Rules.of(layout, tests, graph or imports.build(layout.root))
    for path, how in sorted(changed.items()):
        everything = _route(path, f"{path} {how}", chosen, rules)
        chosen.everything = chosen.everything or everything
    return chosen


# --- pytest glue -------------------------------------------------------------------------------------


def select_changed(config, items: list, ctx) -> None:
    """Keep only the items that --changed selects; report each choice and why. No --changed: do nothing."""
    base = config.getoption("changed", None)
    if base is None:
        return
    import pytest

    root = Path(config.rootpath)
    try:
        commit, how = resolve_base(root, base or None)
        changed = changed_files(root, commit)
    except SelectionError as exc:
        raise pytest.UsageError(f"--changed: {exc}") from None
    tests = sorted({p for item in items if (p := _below(Path(item.path), root)) and p.startswith("tests/")})
    selection = select(changed, ctx.manifest, ctx.layout, tests)
    keep = [item for item in items if selection.wants(item, root)]
    drop = [item for item in items if not selection.wants(item, root)]
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
    _report(config, selection, f"{how}, {commit[:10]}", ctx, len(keep))
    if not keep:
        config.pluginmanager.register(_NothingToRun(), "snipcheck-selection-empty")


class _NothingToRun:
    """No change touches a check: pytest's "no tests ran" (5) becomes success, with the reason printed."""

    def pytest_sessionfinish(self, session):
        if session.exitstatus == 5:
            session.exitstatus = 0


def describe(selection: Selection, against: str, pages_of) -> list[str]:
    """The lines --changed prints: what changed, what was selected and why, which pages show it."""
    lines = [f"--changed: {len(selection.changed)} changed file(s) against {against}"]
    if selection.everything:
        lines.append(f"selected everything: {selection.everything}")
    else:
        for snippet_id, why in sorted(selection.snippets.items()):
            lines.append(f"selected snippets/{snippet_id}: {why}")
        for snippet_id, why in sorted(selection.chain_steps.items()):
            lines.append(f"selected snippets/{snippet_id} [cluster]: {why}")
        for key, why in sorted(selection.walkthroughs.items()):
            page, _, name = key.partition("::")
            lines.append(f"selected walkthrough {name} of {page}: {why}")
        for tier, why in sorted(selection.tiers.items()):
            lines.append(f"selected the {tier} tier of every snippet: {why}")
        for module, why in sorted(selection.collectors.items()):
            lines.append(f"selected every item of {module}: {why}")
        for test, why in sorted(selection.test_files.items()):
            lines.append(f"selected {test}: {why}")
    shown = sorted({where for snippet_id in selection.snippets for where in pages_of(snippet_id)})
    if shown:
        lines.append("pages that embed a changed snippet: " + ", ".join(shown))
    if not selection.changed:
        lines.append("nothing to run: no file changed")
    return lines


def _report(config, selection: Selection, against: str, ctx, kept: int) -> None:
    lines = describe(selection, against, ctx.pages_of) + [f"--changed: {kept} item(s) kept"]
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    for line in lines:
        if reporter is not None:
            reporter.write_line(line)
        else:
            print(line, file=sys.stderr)


# --- command line: scripts/test asks here first, so a bad BASE is one line and exit 2 ----------------

NOTHING_TO_RUN = 3  # exit status of `plan` when no file changed: scripts/test then starts no pytest at all


def main(argv: list[str]) -> int:
    """`python -m snipcheck.selection plan [BASE]`: exit 0 (silent) when files changed against BASE; the
    lines --changed prints and NOTHING_TO_RUN when none did; one error line and 2 for a bad BASE."""
    if not argv or argv[0] != "plan" or len(argv) > 2:
        print("usage: python -m snipcheck.selection plan [BASE]", file=sys.stderr)
        return 2
    root = Path.cwd()
    try:
        commit, how = resolve_base(root, argv[1] if len(argv) == 2 else None)
        changed = changed_files(root, commit)
    except SelectionError as exc:
        print(f"scripts/test --changed: {exc}", file=sys.stderr)
        return 2
    if changed:
        return 0
    for line in describe(Selection(changed={}), f"{how}, {commit[:10]}", lambda _: []):
        print(line)
    return NOTHING_TO_RUN


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
