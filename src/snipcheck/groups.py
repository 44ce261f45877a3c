"""Which items must run on the same pytest-xdist worker (`--dist loadgroup` reads `xdist_group` marks).

Two items belong together when they share a key: the plugin gives each item its own keys (a chain's cluster
steps share one sandbox and one cluster), and this module adds the generic ones: a fixture of this project
wider than one test (module, class, package or session scope; one instance per worker would build it twice,
and a fixture that writes a file would race with itself), and an explicit `xdist_group` mark. Keys join
transitively; each connected set of two or more items becomes one group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

MARK = "xdist_group"


class GroupConflict(Exception):
    pass


def assign(items: list, root: Path, own_keys: Callable[[pytest.Item], Iterable[str]]) -> dict[str, list[str]]:
    """Mark every item that shares a key with another; group name -> node ids, in collection order."""
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    keys_of = [[*own_keys(item), *fixture_keys(item, root), *explicit_keys(item)] for item in items]
    for index, keys in enumerate(keys_of):
        for key in keys:
            other = first_with.setdefault(key, index)
            parent[find(index)] = find(other)
    members: dict[int, list[int]] = {}
    for index in range(len(items)):
        members.setdefault(find(index), []).append(index)
    groups = {}
    for indexes in members.values():
        if len(indexes) < 2:
            continue
        name = _name([items[i] for i in indexes], sorted({k for i in indexes for k in keys_of[i]}))
        for i in indexes:
            if not items[i].get_closest_marker(MARK):
                items[i].add_marker(getattr(pytest.mark, MARK)(name))
        groups[name] = [items[i].nodeid for i in indexes]
    return groups


def _name(items: list, keys: list[str]) -> str:
    """The one explicit name in the set, else its first key; two explicit names joined by a fixture is an error
    (xdist would put the items in different groups)."""
    explicit = sorted({k.removeprefix("mark ") for k in keys if k.startswith("mark ")})
    if len(explicit) > 1:
        raise GroupConflict(
            f"tests marked xdist_group({explicit[0]!r}) and xdist_group({explicit[1]!r}) share a fixture or state, "
            f"so they must run on one worker (e.g. {items[0].nodeid} and {items[-1].nodeid}); give them one name"
        )
    return explicit[0] if explicit else keys[0]


def explicit_keys(item: pytest.Item) -> list[str]:
    return [f"mark {m.args[0] if m.args else m.kwargs.get('name', 'default')}" for m in item.iter_markers(MARK)]


def fixture_keys(item: pytest.Item, root: Path) -> list[str]:
    """One key per fixture of this project the item uses whose instance outlives one test."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    keys = []
    for name, definitions in info.name2fixturedefs.items():
        if not definitions:
            continue
        fixture = definitions[-1]  # the one this item gets (a closer definition overrides)
        if fixture.scope == "function" or not _in_project(fixture.func, root):
            continue
        keys.append(f"{_instance(item, fixture.scope) or fixture.baseid or '.'}:{name}")
    return keys


def _instance(item: pytest.Item, scope: str) -> str | None:
    """Which instance of a wider fixture the item gets: one per module, class or package (named by its node
    id), or None for the one of the whole session."""
    module = item.nodeid.split("::")[0]
    if scope == "module":
        return module
    if scope == "package":
        return module.rpartition("/")[0] or "."
    if scope == "class":
        return f"{module}::{getattr(getattr(item, 'cls', None), '__qualname__', '')}"
    return None


def _in_project(func, root: Path) -> bool:
    """Defined in this project's tests or conftests, not by pytest or an installed plugin."""
    code = getattr(func, "__code__", None)
    if code is None:
        return False
    path = Path(code.co_filename)
    return path.is_relative_to(root) and "site-packages" not in path.parts


def name_of(item: pytest.Item) -> str | None:
    """The group xdist's loadgroup gives the item: its xdist_group names, sorted and joined."""
    names = sorted({key.removeprefix("mark ") for key in explicit_keys(item)})
    return "_".join(names) or None


def carry_in_node_ids(items: list) -> None:
    """On a worker under --dist loadgroup: make sure each grouped item's node id ends in `@<group>`, which is how
    the controller's scheduler learns the groups. pytest-xdist 3.8.0 writes the suffix into an attribute that
    pytest 9.2 no longer reads (pytest-xdist issue #1386), so every item would be scheduled alone; where the
    suffix is missing, it is written into the node's id here. Where xdist did it, this changes nothing."""
    for item in items:
        name = name_of(item)
        if name and not item.nodeid.endswith(f"@{name}"):
            from _pytest.nodeid import NodeId  # only pytest >= 9.2 gets here; it keeps the id in item._id

            item._id = NodeId.parse(f"{item.nodeid}@{name}")
