"""The manifest and report formats, defined once as JSON Schema in snipcheck/schemas/, and their errors worded
for a person: a checks.yaml error at the line of the offending key, a report error at its JSON path."""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import reprlib
from importlib import resources

from .errors import ManifestError

CHECKS = "checks.schema.json"
REPORT = "report.schema.json"
TIERS = ("static", "local", "cluster")
TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


@functools.cache
def load(name: str) -> dict:
    """A schema shipped with the package (editors reach the same file through a relative path)."""
    return json.loads(resources.files(__package__).joinpath("schemas", name).read_text(encoding="utf-8"))


@functools.cache
def validator(name: str):
    import jsonschema  # here, not at the top: only a loaded manifest or report pays for the import

    return jsonschema.Draft202012Validator(load(name))


# What already conformed in this process, by schema and content: `mkdocs serve` rebuilds the site in one process
# on every save and reads the same unchanged files again; the same content conforms again, so it is not
# validated twice (a changed file has another key and is validated).
_CONFORMED: set[tuple[str, str]] = set()


def _key(name: str, data) -> tuple[str, str] | None:
    try:
        text = json.dumps(data, sort_keys=True, default=str)
    except (TypeError, ValueError):  # keys of mixed types cannot be sorted: validate every time
        return None
    return name, hashlib.sha256(text.encode()).hexdigest()


def check_manifest(data, where) -> None:
    """Raise ManifestError at the first defect (by line) the checks.yaml schema finds in data (yamlines' output)."""
    key = _key(CHECKS, data)
    if key in _CONFORMED:
        return
    errors = list(validator(CHECKS).iter_errors(data))
    if not errors and key:
        _CONFORMED.add(key)
    if errors:
        # A missing key last (it is often an unknown key misspelt: "did you mean"); then the earliest line, as a
        # reader goes; on one line the deepest error, the most specific.
        error = min(errors, key=lambda e: (e.validator == "required", _line(data, e), -len(e.absolute_path)))
        raise ManifestError(where, _line(data, error), manifest_message(error))


def report_problem(data) -> str | None:
    """A defect the report schema finds in data, as `json.path: what` (one line), or None when it conforms."""
    key = _key(REPORT, data)
    if key in _CONFORMED:
        return None
    errors = list(validator(REPORT).iter_errors(data))
    if not errors:
        if key:
            _CONFORMED.add(key)
        return None
    error = max(errors, key=lambda e: len(e.absolute_path))  # the deepest names the offending part best
    where = ".".join(str(part) for part in error.absolute_path) or "(top level)"
    # A whole object in the message would make a long line: shorten the value it quotes.
    return f"{where}: {error.message.replace(repr(error.instance), reprlib.repr(error.instance))}"


def _line(data, error) -> int:
    """The line of the key (or list item) the error's path ends at; an unknown key's own line."""
    node, line = data, getattr(data, "line", 0) or 1
    for part in error.absolute_path:
        if hasattr(node, "line_of"):
            line = node.line_of(part)
        node = node[part]
    if error.validator == "additionalProperties" and hasattr(node, "line_of"):
        line = node.line_of(_unknown_keys(error)[0])
    return line


def _unknown_keys(error) -> list:
    known = error.schema.get("properties", {})
    return [key for key in error.instance if key not in known]


def manifest_message(error) -> str:
    path = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind, label = error.validator, _label(path)
    # The messages editors show too (yaml-language-server): patternErrorMessage, errorMessage for the rest.
    custom = schema.get("patternErrorMessage" if kind == "pattern" else "errorMessage")
    if kind == "additionalProperties":
        key, allowed = _unknown_keys(error)[0], sorted(schema.get("properties", {}))
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        also = f" (did you mean {hint[0]!r}?)" if hint else f" (allowed: {', '.join(allowed)})"
        return f"unknown key {key!r} in {_what(path, schema)}{also}"
    if kind == "required":
        missing = next(key for key in error.validator_value if key not in error.instance)
        if len(path) == 2 and path[0] == "snippets" and missing in TIERS:
            return (
                f"{path[1]}: the {missing} tier is missing; give its settings ({{}}) "
                "or a sentence saying why it does not apply"
            )
        return f"{label}.{missing} is required" if path else f"checks.yaml needs the key {missing!r}"
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        expected = custom or "must be " + " or ".join(TYPE_WORDS.get(str(t), str(t)) for t in wanted)
        return f"{label} {expected}, not {_kind_of(error.instance)}"
    if kind == "enum":
        known = ", ".join(map(str, error.validator_value))
        return f"unknown {schema.get('title', label)} {error.instance!r} (known: {known})"
    if custom:
        return f"{label} {custom}"
    if kind == "exclusiveMinimum" and error.validator_value == 0:
        return f"{label} must be positive"
    return f"{label}: {error.message}"


def _label(path: list) -> str:
    """A part of checks.yaml as its author reads it: chain.kind, local.expect.exit, local.needs[0]."""
    if not path:
        return "checks.yaml"
    if path[0] == "snippets" and len(path) >= 3:
        path = path[2:]  # the line already says which file's entry
    elif path[0] == "snippets" and len(path) == 2:
        return str(path[1])
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f"{'.' if text else ''}{part}"
    return text


def _what(path: list, schema: dict) -> str:
    """What holds an unknown key, in the words of today's messages."""
    names = [str(part) for part in path if not isinstance(part, int)]
    if not names:
        return "checks.yaml"
    if names[0] == "snippets" and len(names) == 2:
        return f"the entry of {names[1]}"
    if names[0] == "snippets" and len(names) == 3:
        tier = names[2]
        if schema.get("title") == "reason":
            return f"the {tier} reason"
        return f"the {tier} tier" if tier in TIERS else f"the {tier} settings"
    return ".".join(names[3:] if names[0] == "snippets" else names)


def _kind_of(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the string {value!r}"
