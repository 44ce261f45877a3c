"""YAML loading that remembers line numbers, so every manifest error can name file:line."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import ManifestError


class LineDict(dict):
    """A mapping that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows the 1-based line of itself and of each item (a scalar item has no line of its own)."""

    line: int = 0
    item_lines: list

    def line_of(self, index) -> int:
        lines = getattr(self, "item_lines", [])
        return lines[index] if isinstance(index, int) and 0 <= index < len(lines) else self.line


# libyaml when PyYAML was built with it (about 10x faster, with the same line marks); pure Python otherwise.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    pass


def _mapping(loader, node):
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise ManifestError(loader.name, key_node.start_mark.line + 1, f"key {key!r} appears twice")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader, node):
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load(path: Path, display: str | None = None):
    """Parse a YAML file; a syntax error becomes a ManifestError naming the line."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(name, 1, f"cannot read: {exc}") from None
    loader = _Loader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ManifestError(name, line, f"not valid YAML: {exc.problem or exc}") from None
    finally:
        loader.dispose()
