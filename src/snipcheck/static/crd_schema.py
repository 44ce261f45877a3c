"""Custom resources in YAML snippets, checked offline against the CRD schemas of the pinned Kubeflow release.

Each document whose apiVersion is not a built-in Kubernetes group is looked up in `crd_schemas/` (vendored by
`scripts/vendor-crd-schemas`). Two checks, each finding at the line of the field it names:

- unknown fields, by the API server's pruning rule: a field is kept only where the schema lists it under
  `properties`, allows it with `additionalProperties`, or says `x-kubernetes-preserve-unknown-fields`;
  `apiVersion`, `kind` and `metadata` are implicit at the root and in embedded resources. Structural schemas
  never say `additionalProperties: false`, so this walk is what makes a misspelt field fail, as it does with
  `kubectl apply --validate=strict` (the default);
- everything else the schema states (types, required fields, enums, bounds, patterns) with jsonschema.
  CEL rules (`x-kubernetes-validations`) and admission webhooks are not evaluated offline.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import json
from pathlib import Path

import yaml

from .findings import Finding

SCHEMAS = Path(__file__).parent / "crd_schemas"
IMPLICIT = ("apiVersion", "kind", "metadata")  # present on every object, never listed by a CRD schema
# The metadata fields of an object (ObjectMeta) a manifest may set, with the types the API server checks.
OBJECT_META = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "generateName": {"type": "string"},
        "namespace": {"type": "string"},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
        "finalizers": {"type": "array", "items": {"type": "string"}},
        "ownerReferences": {"type": "array", "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
        "uid": {"type": "string"},
        "resourceVersion": {"type": "string"},
        "generation": {"type": "integer"},
        "creationTimestamp": {"type": ["string", "null"]},
        "deletionTimestamp": {"type": "string"},
        "deletionGracePeriodSeconds": {"type": "integer"},
        "managedFields": {"type": "array", "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
        "selfLink": {"type": "string"},
    },
}
MAX_MESSAGE = 240


def is_builtin(api_version: str) -> bool:
    """Kubernetes' own groups (core, apps, batch, *.k8s.io) and kind's config file are not custom resources."""
    group = api_version.rpartition("/")[0]
    return "." not in group or group.endswith(".k8s.io") or group == "kind.x-k8s.io"


def vendored() -> list[str]:
    return sorted(_label(json.loads(p.read_text(encoding="utf-8"))) for p in SCHEMAS.glob("*.json"))


def _label(entry: dict) -> str:
    return f"{entry['kind']} {entry['apiVersion']}"


@functools.cache
def load(api_version: str, kind: str) -> dict | None:
    """The vendored entry for this apiVersion and kind (with its openAPIV3Schema), or None."""
    group, _, version = api_version.rpartition("/")
    path = SCHEMAS / f"{group}_{kind}_{version}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def check(docs: list[yaml.Node]) -> list[Finding]:
    """Findings for every custom resource among the documents of one snippet."""
    findings: list[Finding] = []
    for doc in docs:
        api, kind = _scalar(doc, "apiVersion"), _scalar(doc, "kind")
        if api is None or kind is None or is_builtin(str(api.value)):
            continue
        entry = load(str(api.value), str(kind.value))
        if entry is None:
            message = (
                f"no vendored schema for {kind.value} {api.value}: the snippets' custom resources are checked "
                f"against {', '.join(vendored())}; add the CRD to scripts/vendor-crd-schemas or fix apiVersion/kind"
            )
            findings.append(Finding(_line(kind), message))
            continue
        schema, label = entry["openAPIV3Schema"], _label(entry)
        findings += unknown_fields(doc, schema, "", label, embedded=True)
        findings += schema_errors(doc, schema, label)
    return findings


def unknown_fields(node: yaml.Node, schema: dict, path: str, label: str, embedded: bool = False) -> list[Finding]:
    """Fields the API server would prune (strict validation refuses them), each at its key's line."""
    findings: list[Finding] = []
    if isinstance(node, yaml.SequenceNode) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(node.value):
            findings += unknown_fields(item, schema["items"], f"{path}[{index}]", label)
    if not isinstance(node, yaml.MappingNode):
        return findings
    embedded = embedded or bool(schema.get("x-kubernetes-embedded-resource"))
    properties = schema.get("properties") or {}
    additional = schema.get("additionalProperties")
    keeps_unknown = bool(schema.get("x-kubernetes-preserve-unknown-fields")) or additional is True
    for key_node, value in node.value:
        key = str(key_node.value)
        where = f"{path}.{key}" if path else key
        if embedded and key in IMPLICIT:  # a CRD schema lists metadata as a bare object: ObjectMeta rules apply
            sub = OBJECT_META if key == "metadata" else properties.get(key, {})
            findings += unknown_fields(value, sub, where, label)
        elif key in properties:
            findings += unknown_fields(value, properties[key], where, label)
        elif isinstance(additional, dict):
            findings += unknown_fields(value, additional, where, label)
        elif not keeps_unknown:
            findings.append(Finding(_line(key_node), _unknown_message(key, path, properties, embedded, label)))
    return findings


def _unknown_message(key: str, path: str, properties: dict, embedded: bool, label: str) -> str:
    known = sorted(properties) + (list(IMPLICIT) if embedded else [])
    close = difflib.get_close_matches(key, known, n=1)
    hint = f'; did you mean "{close[0]}"?' if close else f"; known here: {', '.join(known)}" if known else ""
    where = f"in {path}" if path else "at the top level"
    return f'unknown field "{key}" {where} of {label}: the API server would refuse it (strict validation){hint}'


def schema_errors(doc: yaml.Node, schema: dict, label: str) -> list[Finding]:
    """Types, required fields, enums, bounds and patterns, each at the line of the part it names."""
    import jsonschema  # here: every pytest process imports this module, few check a manifest (40 ms to import)

    root = dict(_jsonschema(schema))
    root["properties"] = {**root.get("properties", {}), "metadata": _jsonschema(OBJECT_META)}
    instance = _plain(yaml.SafeLoader("").construct_document(doc))
    findings = []
    for error in sorted(jsonschema.Draft4Validator(root).iter_errors(instance), key=lambda e: list(e.absolute_path)):
        parts = list(error.absolute_path)
        where = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in parts).replace(".[", "[") or "(top)"
        message = error.message if len(error.message) <= MAX_MESSAGE else error.message[:MAX_MESSAGE] + "…"
        findings.append(Finding(_path_line(doc, parts), f"{where} of {label} does not match its CRD schema: {message}"))
    return findings


def _jsonschema(schema):
    """An OpenAPI v3 schema of a CRD as a JSON Schema draft 4 (nullable, int-or-string; x- keys dropped)."""
    if isinstance(schema, list):
        return [_jsonschema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key.startswith("x-kubernetes-") or key == "nullable":
            continue
        if key in ("properties", "patternProperties", "definitions") and isinstance(value, dict):
            out[key] = {name: _jsonschema(sub) for name, sub in value.items()}
        else:
            out[key] = _jsonschema(value)
    if schema.get("x-kubernetes-int-or-string"):
        out["type"] = ["integer", "string"]
    if schema.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out


def _plain(value):
    """YAML's dates become the strings kubectl sends; everything else is already JSON-like."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _scalar(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == key and isinstance(value, yaml.ScalarNode):
                return value
    return None


def _path_line(node: yaml.Node, parts: list) -> int:
    """The line of the deepest part of a path that exists: a key's own line, or a list item's."""
    line = _line(node)
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if pair is None:
                break
            line, node = _line(pair[0]), pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = _line(node)
        else:
            break
    return line


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1
