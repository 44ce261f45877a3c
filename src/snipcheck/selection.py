"""Change-based selection (`--changed [BASE]`): which test items a set of changed files can affect.

The files that changed since BASE (committed, staged, unstaged and untracked alike) select:
the snippets whose file, checks.yaml entry or expected-output file changed; every cluster step of a chain
when any file of its group (or of a group it includes) changed, since a chain runs as a whole in a copy of
those folders; the structural checks when a page, a snippet or a
checks.yaml changed; and the unit tests of changed engine modules (everything when plugin.py or
manifest.py changed). Git is asked through subprocess; its failures become one-line SelectionErrors.
"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .manifest import MANIFEST_NAME

DEFAULT_BRANCH = "main"
STRUCTURE_TESTS = "tests/test_structure.py"
ENGINE = "src/snipcheck/"
# A change to these can alter the outcome of any item, so everything runs.
EVERYTHING = {"src/snipcheck/plugin.py", "src/snipcheck/manifest.py", "pyproject.toml", "tests/conftest.py",
              "scripts/test", "scripts/_venv.sh"}
EVERYTHING_DIRS = ("requirements/",)
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
    changed: dict[str, str]                                   # path -> how it changed
    snippets: dict[str, str] = field(default_factory=dict)    # snippet id -> why (all its tiers)
    chain_steps: dict[str, str] = field(default_factory=dict)  # snippet id -> why (its cluster tier only)
    test_files: dict[str, str] = field(default_factory=dict)  # tests/... path -> why
    everything: str | None = None                              # why everything runs, when it does

    def wants(self, item, root: Path) -> bool:
        if self.everything:
            return True
        snippet, tier = getattr(item, "snippet", None), getattr(item, "tier", None)
        if snippet is not None and tier is not None:
            return snippet.id in self.snippets or (tier.name == "cluster" and snippet.id in self.chain_steps)
        path = _below(Path(item.path), root)
        return path in self.test_files


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
    """A chain runs as a whole, in a copy of its group (and its include groups): any change there reruns it."""
    reasons = {}
    for chain in manifest.chains.values():
        starter = next((step for step in chain.steps if step in chosen), None)
        why = f"same chain {chain.name} as {snippets_dir}/{starter}" if starter else _chain_folder_change(
            changed, chain, snippets_dir)
        for step in chain.steps if why else ():
            if step not in chosen:
                reasons[step] = why
    return reasons


def _chain_folder_change(changed: dict[str, str], chain, snippets_dir: str) -> str | None:
    for group in (chain.group, *chain.include):
        touched = sorted(p for p in changed if p.startswith(f"{snippets_dir}/{group}/"))
        if touched:
            return f"chain {chain.name} runs in a copy of {snippets_dir}/{group}/, and {touched[0]} " \
                   f"{changed[touched[0]]}"
    return None


def _test_reasons(changed: dict[str, str], tests: list[str], structural: bool) -> dict[str, str]:
    reasons = {}
    if structural:
        for test in tests:
            if test == STRUCTURE_TESTS:
                reasons[test] = "a page, a snippet or a checks.yaml changed"
    for path, how in sorted(changed.items()):
        if path in tests:
            reasons.setdefault(path, how)
        stem = _module_of(path)
        for test in tests if stem else ():
            name = PurePosixPath(test).name
            if name == f"test_{stem}.py" or name.startswith(f"test_{stem}_"):
                reasons.setdefault(test, f"{path} {how}")
    return reasons


def _module_of(path: str) -> str | None:
    """The module a change belongs to: src/snipcheck/x.py -> x; tests/fixtures/x/... -> x."""
    parts = PurePosixPath(path).parts
    if path.startswith(ENGINE) and path.endswith(".py") and len(parts) == 3:
        return PurePosixPath(path).stem
    if len(parts) >= 4 and parts[:2] == ("tests", "fixtures"):
        return parts[2]
    return None


def _everything(changed: dict[str, str]) -> str | None:
    for path, how in sorted(changed.items()):
        if path in EVERYTHING or path.startswith(EVERYTHING_DIRS):
            return f"{path} {how}"
    return None


def _structural(changed: dict[str, str], layout) -> bool:
    docs, snippets = f"{layout.docs}/", f"{layout.snippets}/"
    return any(p.startswith((docs, snippets)) or p == "mkdocs.yml" for p in changed)


def select(changed: dict[str, str], manifest, layout, tests: list[str]) -> Selection:
    """What the changed files select, each with its reason."""
    chosen = _snippet_reasons(changed, manifest, layout.snippets)
    return Selection(
        changed=changed, snippets=chosen,
        chain_steps=_chain_reasons(changed, manifest, layout.snippets, chosen),
        test_files=_test_reasons(changed, tests, _structural(changed, layout)),
        everything=_everything(changed),
    )


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
        return lines + [f"selected everything: {selection.everything}"]
    for snippet_id, why in sorted(selection.snippets.items()):
        lines.append(f"selected snippets/{snippet_id}: {why}")
    for snippet_id, why in sorted(selection.chain_steps.items()):
        lines.append(f"selected snippets/{snippet_id} [cluster]: {why}")
    for test, why in sorted(selection.test_files.items()):
        lines.append(f"selected {test}: {why}")
    shown = sorted({where for snippet_id in selection.snippets for where in pages_of(snippet_id)})
    if shown:
        lines.append("pages that embed a changed snippet: " + ", ".join(shown))
    if not (selection.snippets or selection.chain_steps or selection.test_files):
        lines.append("nothing to run: no snippet, page, checks.yaml or engine module changed")
    return lines


def _report(config, selection: Selection, against: str, ctx, kept: int) -> None:
    lines = describe(selection, against, ctx.pages_of) + [f"--changed: {kept} item(s) kept"]
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    for line in lines:
        if reporter is not None:
            reporter.write_line(line)
        else:
            print(line, file=sys.stderr)


# --- command line: scripts/test resolves BASE here first, so a bad BASE is one line and exit 2 ------

def main(argv: list[str]) -> int:
    """`python -m snipcheck.selection base [BASE]`: print the commit BASE names, or one error line."""
    if not argv or argv[0] != "base" or len(argv) > 2:
        print("usage: python -m snipcheck.selection base [BASE]", file=sys.stderr)
        return 2
    try:
        commit, _ = resolve_base(Path.cwd(), argv[1] if len(argv) == 2 else None)
    except SelectionError as exc:
        print(f"scripts/test --changed: {exc}", file=sys.stderr)
        return 2
    print(commit)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
