"""One Korean term per concept: the real Korean pages follow the glossary, and each broken fixture is caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from snipcheck import terminology

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "terminology"


def _problems(name: str, monkeypatch) -> list[str]:
    monkeypatch.chdir(FIXTURES / name)  # messages name paths relative to the fixture, as for the real site
    return terminology.problems(Path("docs"))


def test_the_korean_pages_follow_the_glossary(monkeypatch):
    monkeypatch.chdir(ROOT)
    found = terminology.problems(Path("docs"))
    assert not found, "\n".join(found)


def test_the_glossary_lists_terms_and_check_words():
    glossary = terminology.read_glossary(ROOT / "docs")
    chosen = {term.chosen for term in glossary.terms}
    assert {"파드", "네임스페이스", "Kubeflow"} <= chosen
    assert {"체인", "하네스", "배지"} <= {word.word for word in glossary.words}


def test_good_fixture_has_no_problem(monkeypatch):
    # glossed English, inline code, link targets, a marked quotation, a word defined in a box: all allowed
    assert _problems("good", monkeypatch) == []


BROKEN = {
    "variant": ['docs/index.md:4: "Pod" is not this site\'s Korean term; write "파드" (docs/concepts.md:6)'],
    "korean-variant": ['docs/index.md:3: "쿠베플로우" is not this site\'s Korean term; write "Kubeflow"'],
    "check-word": ['docs/index.md:3: "체인" is a word of the checks, not of the reader (docs/concepts.md:13)'],
    "marker-without-reason": [
        "docs/index.md:3: a term-ok marker needs a reason",
        'docs/index.md:4: "Pod" is not this site\'s Korean term',
    ],
    "stale-marker": ['docs/index.md:3: this term-ok marker excuses nothing: "Pod" is not in the paragraph'],
    "bad-glossary": ["docs/concepts.md:7: write each variant as inline code"],
    "no-glossary": ["docs/concepts.md:1: the glossary page is missing"],
    "variant-is-the-term": ['docs/concepts.md:6: "파드" is both the chosen word and a variant of it'],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_fixture_is_caught_with_file_and_line(name, monkeypatch):
    found = _problems(name, monkeypatch)
    for expected in BROKEN[name]:
        assert any(row.startswith(expected) for row in found), f"{expected!r} not in:\n" + "\n".join(found)
    assert len(found) == len(BROKEN[name]), "\n".join(found)
