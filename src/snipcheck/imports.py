"""Which files of the engine and its tests each Python file depends on, read from source with `ast`.

Nodes are repository paths (posix, relative to the root): `src/snipcheck/**.py` and `tests/**.py` (fixtures
aside). An edge A -> B means running A runs B's code:
- A imports B: `import x.y`, `from x import y`, relative imports, imports inside functions; importing
  a submodule also runs its packages' `__init__.py`. Absolute names resolve against `src/` (the installed
  engine) and `tests/` (pytest puts it on sys.path, as `tests/` has no `__init__.py`: `support.site_serve`).
- A (under tests/) loads B by name: a string such as "-p snipcheck.plugin" or "-m snipcheck.selection",
  in A itself or in a text file of a fixture folder A references (a fixture site's pytest config).
- A (under tests/) loads B by path: an MkDocs hook. mkdocs imports each file listed under `hooks:` of the
  mkdocs.yml it builds, so a test that mentions mkdocs (imports it, runs `mkdocs build`, reads mkdocs.yml)
  depends on the hooks of the repository's mkdocs.yml, and a test that references a fixture folder depends
  on the hooks of that folder's mkdocs.yml files.
A file references the fixture folder tests/fixtures/<name> when its string constants, split at "/", hold
both "fixtures" and <name> (`Path(__file__).parent / "fixtures" / "site"`, f"{FIXTURES}/broken/static").
The graph also notes which files define pytest items (a class deriving from `pytest.Item`): an item runs
what its own module runs, which is how selection finds the collectors besides the plugin's tier items.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

ENGINE_DIR, TESTS_DIR = "src/snipcheck", "tests"
FIXTURES_DIR = "tests/fixtures"
IMPORT_ROOTS = ("src", "tests")  # where absolute module names are found, in sys.path order
BY_NAME = re.compile(r"\bsnipcheck(?:\.\w+)+")
MKDOCS = re.compile(r"\bmkdocs\b")


@dataclass
class Graph:
    root: Path
    edges: dict[str, set[str]] = field(default_factory=dict)  # file -> files it runs directly
    fixtures: dict[str, set[str]] = field(default_factory=dict)  # file -> fixture folders it references
    site: set[str] = field(default_factory=set)  # files that build (or read) the site
    words: dict[str, set[str]] = field(default_factory=dict)  # test file -> "/"-parts of its strings
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # file -> local name -> module file
    items: dict[str, list[str]] = field(default_factory=dict)  # file -> the pytest item classes it defines

    def closure(self, start: str, stop: frozenset[str] = frozenset()) -> set[str]:
        """start and every file it runs, directly or not; files in stop are not entered (nor included)."""
        seen, todo = {start}, [start]
        while todo:
            for nxt in self.edges.get(todo.pop(), ()):
                if nxt not in seen and nxt not in stop:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    def users(self, target: str) -> set[str]:
        """Every file whose closure holds target (target included): one search up the reversed edges."""
        runners: dict[str, set[str]] = {}
        for path, runs in self.edges.items():
            for ran in runs:
                runners.setdefault(ran, set()).add(path)
        seen, todo = {target}, [target]
        while todo:
            for nxt in runners.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return {path for path in seen if path in self.edges}

    def fixture_users(self, folder: str) -> set[str]:
        """Every file that references the fixture folder, or runs a file that does."""
        direct = {path for path, folders in self.fixtures.items() if folder in folders}
        return {user for path in direct for user in self.users(path)}


def build(root: Path) -> Graph:
    graph = Graph(root=root)
    files = _python_files(root)
    known = set(files)
    texts = {}
    for rel in files:
        source = (root / rel).read_text(encoding="utf-8")
        try:
            tree = ast.parse(source, filename=rel)
        except SyntaxError:
            tree = ast.Module(body=[], type_ignores=[])  # the test run reports it; no edges to read
        texts[rel] = tree
        graph.names[rel], graph.edges[rel] = _imports(tree, rel, known)
        if classes := _item_classes(tree):
            graph.items[rel] = classes
    site_hooks = _hooks(root, root / "mkdocs.yml", known)
    for rel, tree in texts.items():
        if not rel.startswith(f"{TESTS_DIR}/"):
            continue
        words, strings = _words(tree)
        graph.words[rel] = words
        graph.fixtures[rel] = _fixture_folders(root, words)
        mentions_mkdocs = any(MKDOCS.search(s) for s in strings) or any(
            name.split(".")[0] == "mkdocs" for name in _imported_names(tree)
        )
        if mentions_mkdocs:
            graph.site.add(rel)
            graph.edges[rel] |= site_hooks
        graph.edges[rel] |= _by_name(strings, known)
        for folder in graph.fixtures[rel]:
            graph.edges[rel] |= _fixture_loads(root, folder, known)
    return graph


def _python_files(root: Path) -> list[str]:
    found = []
    for top in (ENGINE_DIR, TESTS_DIR):
        for path in sorted((root / top).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if not rel.startswith(f"{FIXTURES_DIR}/") and "__pycache__" not in rel:
                found.append(rel)
    return found


# --- imports ----------------------------------------------------------------------------------------


def _imports(tree: ast.Module, rel: str, known: set[str]) -> tuple[dict[str, str], set[str]]:
    """(local name -> module file it binds, files imported), for every import statement anywhere in the file."""
    names, found = {}, set()
    package = _package_of(rel)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                files = _module_files(alias.name, known)
                found |= files
                if alias.asname and files:
                    names[alias.asname] = file_of(alias.name, known) or ""
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            if base is None:
                continue
            found |= _module_files(base, known)
            for alias in node.names:
                sub = file_of(f"{base}.{alias.name}", known)
                if sub:  # `from . import x`, `from .cluster import tier`: a submodule
                    found |= _module_files(f"{base}.{alias.name}", known)
                    names[alias.asname or alias.name] = sub
    found |= _module_files(".".join(package), known)  # a module runs after its packages' __init__.py
    found.discard(rel)
    return names, found


def _imported_names(tree: ast.Module) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.append(node.module)
    return out


def _package_of(rel: str) -> list[str]:
    """The dotted package a file is in, as parts: src/snipcheck/static/tier.py -> [snipcheck, static]."""
    path = PurePosixPath(rel)
    for top in IMPORT_ROOTS:
        if path.parts[0] == top:
            return list(path.parts[1:-1])
    return []


def _absolute(node: ast.ImportFrom, package: list[str]) -> str | None:
    if not node.level:
        return node.module
    if node.level - 1 > len(package):
        return None
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else [])) or None


def file_of(name: str, known: set[str]) -> str | None:
    """The file a dotted module name loads (a module, or a package's __init__.py), if it is ours."""
    parts = name.split(".")
    for top in IMPORT_ROOTS:
        for candidate in ("/".join([top, *parts]) + ".py", "/".join([top, *parts, "__init__.py"])):
            if candidate in known:
                return candidate
    return None


def _module_files(name: str, known: set[str]) -> set[str]:
    """Importing a.b.c runs a/__init__.py, a/b/__init__.py and a/b/c.py: every one of them that is ours."""
    parts = name.split(".") if name else []
    return {f for i in range(1, len(parts) + 1) if (f := file_of(".".join(parts[:i]), known))}


def _item_classes(tree: ast.Module) -> list[str]:
    """Classes deriving from pytest's Item (`pytest.Item`, or `Item` imported from pytest)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = [b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", None) for b in node.bases]
            if "Item" in bases:
                found.append(node.name)
    return found


def module_name(rel: str) -> str:
    """The dotted name a file is imported as: src/snipcheck/walkthrough/items.py -> snipcheck.walkthrough.items."""
    parts = list(PurePosixPath(rel).with_suffix("").parts)
    if parts and parts[0] in IMPORT_ROOTS:
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


# --- loads by name and by path ----------------------------------------------------------------------


def _words(tree: ast.Module) -> tuple[set[str], list[str]]:
    """(every "/"-separated part of every string constant, the constants themselves)."""
    strings = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return {part for s in strings for part in s.split("/") if part}, strings


def _by_name(strings: list[str], known: set[str]) -> set[str]:
    return {f for s in strings for name in BY_NAME.findall(s) for f in _module_files(name, known)}


def _fixture_folders(root: Path, words: set[str]) -> set[str]:
    if "fixtures" not in words:
        return set()
    fixtures = root / FIXTURES_DIR
    tops = sorted(p.name for p in fixtures.iterdir() if p.is_dir()) if fixtures.is_dir() else []
    return {f"{FIXTURES_DIR}/{name}" for name in tops if name in words}


def _fixture_loads(root: Path, folder: str, known: set[str]) -> set[str]:
    """What a fixture folder's text files load by name (a pytest config's -p snipcheck.plugin) or as hooks."""
    found = set()
    for path in sorted((root / folder).rglob("*")):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        found |= _by_name([text], known)
        if path.name == "mkdocs.yml":
            found |= _hooks(root, path, known)
    return found


def _hooks(root: Path, config: Path, known: set[str]) -> set[str]:
    """The files under `hooks:` of an mkdocs.yml, read as lines (its !!python tags defeat a YAML loader)."""
    if not config.is_file():
        return set()
    found, inside = set(), False
    for line in config.read_text(encoding="utf-8").splitlines():
        if re.match(r"hooks:\s*(#.*)?$", line):
            inside = True
        elif inside and (item := re.match(r"\s+-\s+(\S+)", line)):
            path = (config.parent / item[1]).resolve()
            try:
                rel = path.relative_to(root.resolve()).as_posix()
            except ValueError:
                continue
            found |= {rel} & known
        elif inside and line.strip() and not line.lstrip().startswith("#"):
            inside = False
    return found


def path_between(graph: Graph, start: str, target: str) -> list[str]:
    """A shortest chain of files from start to target (both included), or [] when start does not run target."""
    came = {start: ""}
    todo = [start]
    while todo:
        current = todo.pop(0)
        if current == target:
            chain = [current]
            while came[chain[-1]]:
                chain.append(came[chain[-1]])
            return chain[::-1]
        for nxt in sorted(graph.edges.get(current, ())):
            if nxt not in came:
                came[nxt] = current
                todo.append(nxt)
    return []


def module_dict(graph: Graph, rel: str, variable: str) -> dict[str, str]:
    """A `VARIABLE = {"key": module, ...}` literal in file rel, each module given as the file it names."""
    path = graph.root / rel
    if not path.is_file():
        return {}
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
    except SyntaxError:
        return {}
    for node in ast.walk(tree):
        target = (
            node.target
            if isinstance(node, ast.AnnAssign)
            else (node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
        )
        value_node = getattr(node, "value", None)
        if isinstance(target, ast.Name) and target.id == variable and isinstance(value_node, ast.Dict):
            local = graph.names.get(rel, {})
            return {
                str(key.value): local[value.id]
                for key, value in zip(value_node.keys, value_node.values, strict=True)
                if isinstance(key, ast.Constant) and isinstance(value, ast.Name) and value.id in local
            }
    return {}
