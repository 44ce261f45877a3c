"""Python snippets: the code compiles, and every kfp API it names exists in the kfp of its runtime."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from .. import runner
from .findings import Finding

API_ROOT = "kfp"
TIMEOUT = 60
# Runs inside the runtime's interpreter: for each dotted name, the first part that does not resolve.
RESOLVER = r"""
import importlib, json, sys
def first_missing(dotted):
    parts = dotted.split(".")
    obj = importlib.import_module(parts[0])
    for depth, part in enumerate(parts[1:], start=2):
        if hasattr(obj, part):
            obj = getattr(obj, part)
            continue
        try:
            obj = importlib.import_module(".".join(parts[:depth]))
        except ImportError:
            return ".".join(parts[:depth])
    return None
import kfp
names = json.loads(sys.argv[1])
print(json.dumps({"kfp": getattr(kfp, "__version__", "unknown"),
                  "missing": {name: first_missing(name) for name in names}}))
"""


def parse(source: str, target: str) -> tuple[ast.AST | None, list[Finding]]:
    try:
        compile(source, target, "exec", dont_inherit=True)  # also what only a full compile finds
        return ast.parse(source, target), []
    except SyntaxError as exc:
        where = f" (column {exc.offset})" if exc.offset else ""
        return None, [Finding(exc.lineno or 1, f"the snippet must be valid Python: {exc.msg}{where}")]


def _aliases(tree: ast.AST) -> dict[str, tuple[str, int]]:
    """Local name -> (the kfp dotted path it stands for, the line that imported it)."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == API_ROOT:
                    local = alias.asname or alias.name.split(".")[0]
                    found[local] = (alias.name if alias.asname else API_ROOT, node.lineno)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and node.module.split(".")[0] == API_ROOT
        ):
            for alias in node.names:
                if alias.name != "*":
                    found[alias.asname or alias.name] = (f"{node.module}.{alias.name}", node.lineno)
    return found


def kfp_references(tree: ast.AST) -> dict[str, int]:
    """Every kfp dotted name the code uses (imports and attribute chains), with the first line naming it."""
    aliases = _aliases(tree)
    refs: dict[str, int] = {}
    for path, line in aliases.values():
        refs.setdefault(path, line)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            dotted = _dotted(node)
            if dotted and dotted[0] in aliases:
                path = ".".join([aliases[dotted[0]][0], *dotted[1:]])
                if node.lineno < refs.get(path, 1 << 30):
                    refs[path] = node.lineno
    return refs


def _dotted(node: ast.AST) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id, *reversed(parts)] if isinstance(node, ast.Name) else None


def check_api(tree: ast.AST, python: Path, runtime: str, cwd: Path, env: dict) -> tuple[list[Finding], dict]:
    """Findings for kfp names missing from the runtime, and what was checked (kfp version, count)."""
    refs = kfp_references(tree)
    if not refs:
        return [], {}
    if not python.exists():
        return [Finding(1, f"the {runtime} environment ({python}) is missing; scripts/test makes it on first use")], {}
    result = _resolve(python, sorted(refs), cwd, env)
    if result.exit_code != 0:
        return [
            Finding.from_tool(
                1, f"kfp could not be inspected in the {runtime} environment", result, output=result.stderr
            )
        ], {}
    try:
        answer = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return [Finding.from_tool(1, f"kfp gave no readable answer in the {runtime} environment", result)], {}
    findings = [
        Finding(
            refs[name],
            f"{name} does not exist in kfp {answer['kfp']} (runtime {runtime}): "
            f"{missing} is missing; use an API of that kfp release",
        )
        for name, missing in answer["missing"].items()
        if missing
    ]
    return findings, {"kfp": answer["kfp"], "kfp_names": len(refs)}


def _resolve(python: Path, names: list[str], cwd: Path, env: dict) -> runner.RunResult:
    return runner.run([str(python), "-c", RESOLVER, json.dumps(names)], cwd=cwd, env=env, timeout=TIMEOUT)
