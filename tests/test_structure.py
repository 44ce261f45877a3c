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
    monkeypatch.chdir(ROOT)  # messages then name paths relative to the repository
    found = structure.CHECKS[check](structure.Layout(ROOT))
    assert not found, f"{check}:\n" + "\n".join(found)


def test_structure_good_fixture_has_no_problem():
    assert _all(_layout("good")) == []


BROKEN = {
    # fixture: (check that must catch it, text the message must hold)
    "inline-code": ("inline code", "docs/index.en.md:13: a bash code block is written inline"),
    "missing-embed-target": (
        "embeds point at files",
        "docs/index.md:4: embeds snippets/demo/helo.sh, which does not exist",
    ),
    "unembedded-snippet": ("snippets embedded in both languages", "snippets/demo/orphan.sh:1: embedded in no page"),
    "one-language-embed": (
        "snippets embedded in both languages",
        "snippets/demo/hello.sh:1: embedded in a Korean page (docs/index.md:4) but in no English page",
    ),
    "missing-twin": ("pages in both languages", "docs/extra.md:1: has no English twin (docs/extra.en.md is missing)"),
    "untranslated-reason": (
        "reasons in both languages",
        "snippets/demo/checks.yaml:5: the cluster reason of hello.sh is in English only",
    ),
    "undeclared-snippet": (
        "snippets declared in the manifest",
        "snippets/demo/stray.sh:1: has no entry in snippets/demo/checks.yaml",
    ),
    "prose-command": (
        "commands in prose",
        "docs/index.en.md:13: the prose asks the reader to run `python3 hello.py --fast`, written only inline",
    ),
    "chain-order": (
        "chains are walkthroughs of their pages",
        "docs/index.md:9: chain demo runs snippets/demo/second.sh before snippets/demo/first.sh, but the page shows "
        "it after (line 5); a chain follows its pages' order",
    ),
    "chain-unmarked": (
        "chains are walkthroughs of their pages",
        "docs/index.md:6: snippets/demo/second.sh is a step of chain demo, but no walkthrough section of this page "
        "with where=cluster chain=demo holds it",
    ),
    "chain-section-unknown": (
        "chains are walkthroughs of their pages",
        "docs/index.md:3: walkthrough demo names chain demos, which no checks.yaml declares",
    ),
    "chain-section-extra": (
        "chains are walkthroughs of their pages",
        "docs/index.md:13: the walkthrough section of chain demo shows snippets/demo/extra.sh, which the chain does "
        "not run; give the block a walkthrough-skip with the reason, or make it a step of the chain",
    ),
    "prose-command-without-reason": ("commands in prose", "docs/index.md:13: a prose-command marker needs a reason"),
    "prose-command-stale-marker": ("commands in prose", "docs/index.md:13: this prose-command marker excuses nothing"),
    "walkthrough-unbalanced": (
        "walkthrough markers",
        "docs/index.md:13: walkthrough demo is never closed; end it with <!-- /walkthrough -->",
    ),
    "walkthrough-unknown-marker": (
        "walkthrough markers",
        "docs/index.md:13: unknown walkthrough marker '<!-- walkthrough-step: demo -->'",
    ),
    "walkthrough-skip-without-reason": (
        "walkthrough markers",
        "docs/index.md:15: a walkthrough-skip marker needs a reason",
    ),
    "walkthrough-skip-misplaced": (
        "walkthrough markers",
        "docs/index.md:20: a walkthrough-skip marker must sit on the line right before the fence",
    ),
    "walkthrough-untitled": (
        "walkthrough code files have names",
        'docs/index.md:15: a python block in walkthrough demo has no file name; write ```python title="NAME"',
    ),
    "walkthrough-twin-steps": (
        "walkthroughs match in both languages",
        "docs/index.en.md:15: step 1 of walkthrough demo is snippets/demo/hello.sh, but in the "
        "Korean twin (docs/index.md:15) it is snippets/demo/greet.py saved as greet.py",
    ),
    "walkthrough-twin-names": (
        "walkthroughs match in both languages",
        "docs/index.en.md:1: declares the walkthroughs ['demo'] but its Korean twin "
        "docs/index.md declares ['demo', 'again']",
    ),
}

# Broken fixtures that show more than one defect of their check: every message must be there.
ALSO = {
    "prose-command": ["docs/index.md:13: the prose asks the reader to run `python3 hello.py --fast`"],
    "prose-command-without-reason": ["docs/index.en.md:13: a prose-command marker needs a reason"],
    "walkthrough-unbalanced": [
        "docs/index.en.md:13: <!-- /walkthrough --> closes no walkthrough",
        "docs/index.en.md:21: walkthrough opened inside walkthrough demo (docs/index.en.md:15)",
    ],
    "walkthrough-unknown-marker": [
        "docs/index.md:15: unknown walkthrough marker '<!-- walkthrough demo -->'",
        "docs/index.en.md:13: a walkthrough needs a name of lowercase letters, digits and dashes, got 'Demo_1'",
        "docs/index.en.md:17: walkthrough demo: unknown setting 'where=moon'",
        "docs/index.en.md:17: walkthrough demo: unknown setting 'colour=red'",
        "docs/index.en.md:17: walkthrough demo: where=cluster and chain=NAME go together",
    ],
    "walkthrough-skip-without-reason": ["docs/index.en.md:15: a walkthrough-skip marker needs a reason"],
    "walkthrough-skip-misplaced": ["docs/index.md:13: walkthrough-skip outside any walkthrough excludes nothing"],
    "walkthrough-untitled": ["docs/index.md:19: a yaml block in walkthrough demo has no file name"],
    "walkthrough-twin-steps": [
        "docs/index.en.md:13: walkthrough demo has the settings where=here but "
        "clone=repo where=here in docs/index.md:13"
    ],
}


@pytest.mark.parametrize("fixture", sorted(BROKEN))
def test_structure_broken_fixture_is_caught(fixture, monkeypatch):
    monkeypatch.chdir(FIXTURES / fixture)
    check, expected = BROKEN[fixture]
    found = structure.CHECKS[check](structure.Layout(Path(".")))
    assert any(expected in row for row in found), f"{fixture}: expected {expected!r} in {found}"


@pytest.mark.parametrize("fixture", sorted(ALSO))
def test_structure_broken_fixture_shows_every_defect(fixture, monkeypatch):
    monkeypatch.chdir(FIXTURES / fixture)
    found = structure.CHECKS[BROKEN[fixture][0]](structure.Layout(Path(".")))
    for expected in ALSO[fixture]:
        assert any(expected in row for row in found), f"{fixture}: expected {expected!r} in {found}"


def test_structure_fixtures_break_only_what_they_say(monkeypatch):
    # A fixture that trips an unrelated check would hide whether its own check works.
    for fixture, (check, _) in BROKEN.items():
        monkeypatch.chdir(FIXTURES / fixture)
        others = {
            name: rows
            for name, rows in structure.problems(structure.Layout(Path("."))).items()
            if rows and name != check
        }
        allowed = {"missing-embed-target": {"snippets embedded in both languages"}}.get(fixture, set())
        assert set(others) <= allowed, f"{fixture} also breaks {others}"


@pytest.mark.parametrize(
    "code, command",
    [
        ("scripts/test", True),
        ("scripts/test --changed", True),
        (".venvs/tools/bin/pre-commit install", True),
        ("python submit_run.py", True),
        (". .venvs/tools/bin/activate", True),
        ("kubectl -n kubeflow get pods", True),
        ("kubectl", False),
        ("python", False),
        (".venvs/", False),
        (".venvs/tools", False),
        ("scripts/", False),
        ("kfp.local", False),
        ("greet()", False),
        ("snippets/demo/hello.sh", False),
    ],
)
def test_a_command_is_a_known_program_with_arguments_or_a_script(code, command):
    assert structure.is_command(code) is command


@pytest.mark.parametrize(
    "sentence, asks",
    [
        ("Run it first.", True),
        ("Type this.", True),
        ("다시 실행하세요.", True),
        ("먼저 돌리고 빌드하면", True),
        ("It prints hello.", False),
        ("출력을 확인합니다.", False),
        ("Runner and rune are other words.", False),
    ],
)
def test_a_sentence_asks_to_run_by_its_words(sentence, asks):
    assert bool(structure.ASKS_TO_RUN.search(sentence)) is asks
