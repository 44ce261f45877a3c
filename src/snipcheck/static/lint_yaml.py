"""YAML snippets: every document parses, kind configs name their nodes and pin their images, schemas validate,
and custom resources match the CRD schemas of the pinned release (crd_schema)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from .. import runner
from . import crd_schema, pins
from .findings import Finding
from .lint_shell import tool

KIND_API = "kind.x-k8s.io/"
NODE_ROLES = ("control-plane", "worker")
TIMEOUT = 60


def parse(source: str) -> tuple[list[yaml.Node], list[Finding]]:
    """The node tree of every document (nodes keep their lines), or the syntax error."""
    try:
        return [doc for doc in yaml.compose_all(source, Loader=yaml.SafeLoader) if doc is not None], []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return [], [Finding(mark.line + 1 if mark else 1, f"the snippet must be valid YAML: {exc.problem or exc}")]


def _get(node: yaml.Node, key: str) -> yaml.Node | None:
    pair = _pair(node, key)
    return pair[1] if pair else None


def _pair(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == key:
                return key_node, value
    return None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def kind_config(doc: yaml.Node) -> list[Finding]:
    """A kind Cluster config: each node has a known role, one is the control plane, images are digests."""
    kind, api = _get(doc, "kind"), _get(doc, "apiVersion")
    if not (kind is not None and kind.value == "Cluster" and api is not None and str(api.value).startswith(KIND_API)):
        return []
    nodes = _get(doc, "nodes")
    if nodes is None:
        return []
    if not isinstance(nodes, yaml.SequenceNode) or not nodes.value:
        return [Finding(_line(nodes), "nodes of a kind config must be a list with at least one node")]
    findings, roles = [], []
    for node in nodes.value:
        role = _get(node, "role")
        roles.append(role.value if role is not None else None)
        if role is None or role.value not in NODE_ROLES:
            findings.append(Finding(_line(node), f"each kind node needs role: {' or '.join(NODE_ROLES)}"))
        image = _get(node, "image")
        if image is not None and "@sha256:" not in str(image.value):
            findings.append(
                Finding(
                    _line(image),
                    f"the kind node image {image.value} must be pinned by digest (kindest/node:vX.Y.Z@sha256:...)",
                )
            )
    if "control-plane" not in roles:
        findings.append(Finding(_line(nodes), "a kind config needs a node with role: control-plane"))
    return findings


def images(node: yaml.Node) -> list[Finding]:
    """Every `image:` value in the documents has a tag (not latest) or a digest."""
    findings = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "image" and isinstance(value, yaml.ScalarNode) and value.value:
                problem = pins.image_problem(str(value.value))
                findings += [Finding(_line(value), f"unpinned image: {problem}")] if problem else []
            findings += images(value)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            findings += images(child)
    return findings


def schema(path: Path, name: str, docs: list[yaml.Node], venvs: Path, cwd: Path, env: dict) -> list[Finding]:
    """Validate with a builtin schema of check-jsonschema; each error at the line of the part it names."""
    argv = [tool(venvs, "check-jsonschema"), "--builtin-schema", name, "--output-format", "json", str(path)]
    result = runner.run(argv, cwd=cwd, env=env, timeout=TIMEOUT)
    if result.exit_code == 0:
        return []
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [
            Finding.from_tool(1, f"check-jsonschema could not validate against the builtin schema {name!r}", result)
        ]
    findings = [
        Finding(1, f"not valid YAML for the schema {name}: {e.get('message', e)}")
        for e in report.get("parse_errors", [])
    ]
    for error in report.get("errors", []):
        best = error.get("best_deep_match") or error.get("best_match") or error
        line = _path_line(docs[0], best["path"]) if docs else 1
        findings.append(
            Finding(
                line,
                f"does not match the schema {name} at {best['path']}: {best['message']}",
                result.command,
                result.exit_code,
            )
        )
    return findings


def _path_line(node: yaml.Node, path: str) -> int:
    """The line of a JSON path such as $.jobs.build.steps[0] (the deepest part that exists)."""
    line = _line(node)
    for part in re.findall(r"\.([^.\[]+)|\[(\d+)\]", path):
        key, index = part
        if key:
            pair = _pair(node, key) or (_pair(node, "on") if key == "True" else None)
            if pair is None:
                break
            node, line = pair[1], _line(pair[0])  # a key's own line, where the reader looks
        else:
            if not (isinstance(node, yaml.SequenceNode) and int(index) < len(node.value)):
                break
            node = node.value[int(index)]
            line = _line(node)
    return line


def check(path: Path, source: str, schema_name: str | None, venvs: Path, cwd: Path, env: dict) -> list[Finding]:
    docs, findings = parse(source)
    if findings:
        return findings
    for doc in docs:
        findings += kind_config(doc) + images(doc)
    findings += crd_schema.check(docs)
    if schema_name:
        findings += schema(path, schema_name, docs, venvs, cwd, env)
    return findings
