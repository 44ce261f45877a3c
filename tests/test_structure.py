"""Structural checks: the real site passes them, and each broken fixture is caught with file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from snipcheck import structure

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "structure"


def _layout(name: str) -> structure.Layout:
    return structure.Layout(FIXTURES / name)


def _all(layout: structure.Layout) -> list[str]:
    return [row for rows in structure.problems(layout).values() for row in rows]


@pytest.mark.parametrize("check", sorted(structure.CHECKS))
def test_structure_of_the_real_site(check, monkeypatch):
    monkeypatch.chdir(ROOT)      # messages then name paths relative to the repository
    found = structure.CHECKS[check](structure.Layout(ROOT))
    assert not found, f"{check}:\n" + "\n".join(found)


def test_structure_good_fixture_has_no_problem():
    assert _all(_layout("good")) == []


BROKEN = {
    # fixture: (check that must catch it, text the message must hold)
    "inline-code": ("inline code", "docs/index.en.md:13: a bash code block is written inline"),
    "missing-embed-target": ("embeds point at files", "docs/index.md:4: embeds snippets/demo/helo.sh, which does not exist"),
    "unembedded-snippet": ("snippets embedded in both languages", "snippets/demo/orphan.sh:1: embedded in no page"),
    "one-language-embed": ("snippets embedded in both languages",
                           "snippets/demo/hello.sh:1: embedded in a Korean page (docs/index.md:4) but in no English page"),
    "missing-twin": ("pages in both languages", "docs/extra.md:1: has no English twin (docs/extra.en.md is missing)"),
    "untranslated-reason": ("reasons in both languages",
                            "snippets/demo/checks.yaml:5: the cluster reason of hello.sh is in English only"),
    "undeclared-snippet": ("snippets declared in the manifest",
                           "snippets/demo/stray.sh:1: has no entry in snippets/demo/checks.yaml"),
}


@pytest.mark.parametrize("fixture", sorted(BROKEN))
def test_structure_broken_fixture_is_caught(fixture, monkeypatch):
    monkeypatch.chdir(FIXTURES / fixture)
    check, expected = BROKEN[fixture]
    found = structure.CHECKS[check](structure.Layout(Path(".")))
    assert any(expected in row for row in found), f"{fixture}: expected {expected!r} in {found}"


def test_structure_fixtures_break_only_what_they_say(monkeypatch):
    # A fixture that trips an unrelated check would hide whether its own check works.
    for fixture, (check, _) in BROKEN.items():
        monkeypatch.chdir(FIXTURES / fixture)
        others = {name: rows for name, rows in structure.problems(structure.Layout(Path("."))).items()
                  if rows and name != check}
        allowed = {"missing-embed-target": {"snippets embedded in both languages"}}.get(fixture, set())
        assert set(others) <= allowed, f"{fixture} also breaks {others}"
