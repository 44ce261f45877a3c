"""The walkthroughs a page declares (<!-- walkthrough: NAME --> ... <!-- /walkthrough -->) and their steps, in order.

The one reader of the markers: the structural checks report what is malformed, `--changed` maps pages and
snippets to walkthroughs, and the walkthrough runner refuses a page with a problem. A reader runs a
walkthrough's steps in one shell, in page order: shell blocks are pasted, titled code blocks saved under their
title, text blocks (expected output) only read. This module runs nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import pages
from .errors import display

MARKER = re.compile(r"^\s*<!--\s*(?P<word>/?walkthrough\S*?)(?P<colon>:?)(?P<rest>(\s.*?)?)\s*-->\s*$")
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SETTINGS: dict[str, set[str] | None] = {"where": {"here", "cluster"}, "chain": None, "clone": {"repo"}}  # None: any
SHELL = {"bash", "sh", "shell", "console", "zsh"}
NOT_STEPS = {"text", "txt", "output", "plain"}  # expected output the reader compares, never pasted
TITLE = re.compile(r'\btitle="(?P<title>[^"]*)"')
MARKER_FORMS = "<!-- walkthrough: NAME [key=value ...] -->, <!-- /walkthrough -->, <!-- walkthrough-skip: REASON -->"


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    kind: str = "marker"  # marker | title: which structural check reports it


@dataclass(frozen=True)
class Step:
    line: int  # the opening fence
    target: str  # the embedded snippet, as written in the page
    title: str | None  # a code file the reader saves under this name; None for a shell step

    @property
    def kind(self) -> str:
        """'shell': pasted into the session; 'file': saved under its title in the current folder."""
        return "file" if self.title else "shell"

    def key(self) -> tuple[str, str | None]:
        return self.target, self.title

    def describe(self) -> str:
        return f"{self.target} saved as {self.title}" if self.title else self.target


@dataclass
class Walkthrough:
    page: Path
    line: int
    name: str
    settings: dict[str, str]
    steps: list[Step] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (fence line, reason) of blocks left out
    blocks: int = 0  # fenced blocks embedding a snippet, steps or not

    def where(self) -> str:
        return f"{display(self.page)}:{self.line}"


@dataclass
class Parsed:
    page: Path
    walkthroughs: list[Walkthrough] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def messages(self, kind: str) -> list[str]:
        return [f"{display(self.page)}:{p.line}: {p.message}" for p in self.problems if p.kind == kind]

    @property
    def marker_problems(self) -> list[str]:
        return self.messages("marker")

    @property
    def title_problems(self) -> list[str]:
        return self.messages("title")


@dataclass
class _Fence:
    mark: str
    line: int
    info: str
    skip_reason: str | None
    targets: list[str] = field(default_factory=list)


def has_walkthroughs(page: Path) -> bool:
    return any(
        (m := MARKER.match(line)) and m["word"] == "walkthrough" and m["colon"]
        for line in page.read_text(encoding="utf-8").splitlines()
    )


def parse(page: Path) -> Parsed:
    parsed = Parsed(page)
    current: Walkthrough | None = None
    fence: _Fence | None = None
    pending_skip: tuple[int, str] | None = None  # a skip marker waiting for its fence: (line, reason)
    in_block_embed = False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        match = pages.FENCE.match(line)
        if fence is not None:
            if match and match["mark"].startswith(fence.mark) and not match["info"].strip():
                _add_step(current, fence, parsed)
                fence = None
            elif pages.EMBED_BLOCK.match(line):
                in_block_embed = not in_block_embed
            elif in_block_embed and line.strip() and not line.strip().startswith(";"):
                fence.targets.append(pages.target_of(line))
            elif (embed := pages.EMBED_LINE.match(line)) and not embed["escape"]:
                fence.targets.append(pages.target_of(embed["target"]))
            continue
        if match:
            fence = _Fence(match["mark"], number, match["info"].strip(), pending_skip[1] if pending_skip else None)
            pending_skip = None
            continue
        if pending_skip is not None:
            parsed.problems.append(
                Problem(
                    pending_skip[0],
                    "a walkthrough-skip marker must sit on the line right before the fence of the block it excludes",
                )
            )
            pending_skip = None
        marker = MARKER.match(line)
        if not marker:
            continue
        current, pending_skip = _marker(marker, line, number, page, current, parsed)
    if current is not None:
        parsed.problems.append(
            Problem(current.line, f"walkthrough {current.name} is never closed; end it with <!-- /walkthrough -->")
        )
        _close(current, parsed)
    return parsed


def _marker(marker, line: str, number: int, page: Path, current, parsed: Parsed):
    """The walkthrough open after this marker line, and a pending skip (line, reason) or None."""
    word, rest = marker["word"], marker["rest"].strip()
    if word == "walkthrough" and marker["colon"]:
        if current is not None:
            parsed.problems.append(
                Problem(
                    number,
                    f"walkthrough opened inside walkthrough {current.name} ({current.where()}); "
                    "close it first with <!-- /walkthrough -->",
                )
            )
            _close(current, parsed)
        return _open(page, number, rest, parsed), None
    if word == "/walkthrough" and not rest and not marker["colon"]:
        if current is None:
            parsed.problems.append(Problem(number, "<!-- /walkthrough --> closes no walkthrough"))
        else:
            _close(current, parsed)
        return None, None
    if word == "walkthrough-skip":
        if not rest or not marker["colon"]:
            parsed.problems.append(
                Problem(
                    number,
                    "a walkthrough-skip marker needs a reason: "
                    "<!-- walkthrough-skip: why a reader does not run this block -->",
                )
            )
        elif current is None:
            parsed.problems.append(Problem(number, "walkthrough-skip outside any walkthrough excludes nothing"))
        return current, (number, rest)
    parsed.problems.append(
        Problem(number, f"unknown walkthrough marker {line.strip()!r}; the markers are {MARKER_FORMS}")
    )
    return current, None


def _open(page: Path, number: int, rest: str, parsed: Parsed) -> Walkthrough:
    """The walkthrough a marker opens; one with a bad name is still returned, so its closing marker balances."""
    words = rest.split() or [""]
    name, settings = words[0], {"where": "here"}  # the default, so where=here and nothing compare equal
    if not NAME.match(name):
        parsed.problems.append(
            Problem(
                number, f"a walkthrough needs a name of lowercase letters, digits and dashes, got {name or 'none'!r}"
            )
        )
    elif any(w.name == name for w in parsed.walkthroughs):
        parsed.problems.append(Problem(number, f"walkthrough {name} is declared twice on this page"))
    for word in words[1:]:
        key, _, value = word.partition("=")
        allowed = SETTINGS.get(key, set())
        if key not in SETTINGS or not value or (allowed is not None and value not in allowed):
            choices = "where=cluster|here, chain=NAME, clone=repo"
            parsed.problems.append(
                Problem(number, f"walkthrough {name}: unknown setting {word!r}; the settings are {choices}")
            )
        settings[key] = value
    if ("chain" in settings) != (settings.get("where") == "cluster"):
        parsed.problems.append(Problem(number, f"walkthrough {name}: where=cluster and chain=NAME go together"))
    walkthrough = Walkthrough(page, number, name, settings)
    if NAME.match(name):
        parsed.walkthroughs.append(walkthrough)
    return walkthrough


def _close(walkthrough: Walkthrough, parsed: Parsed) -> None:
    if not walkthrough.blocks and walkthrough in parsed.walkthroughs:
        parsed.problems.append(
            Problem(
                walkthrough.line, f"walkthrough {walkthrough.name} has no steps (no fenced block embedding a snippet)"
            )
        )


def _add_step(walkthrough: Walkthrough | None, fence: _Fence, parsed: Parsed) -> None:
    if walkthrough is None or not fence.targets:
        return
    walkthrough.blocks += 1
    if fence.skip_reason is not None:
        walkthrough.skipped.append((fence.line, fence.skip_reason))
        return
    info = fence.info.split()[0].lower().lstrip(".") if fence.info else ""
    if info in NOT_STEPS:
        return
    if len(fence.targets) > 1:
        parsed.problems.append(
            Problem(fence.line, "a walkthrough step embeds one file; split this block in one block per file", "title")
        )
        return
    title = TITLE.search(fence.info)
    if title and title["title"].strip():
        saved = PurePosixPath(title["title"].strip())
        if saved.is_absolute() or ".." in saved.parts:
            parsed.problems.append(
                Problem(
                    fence.line,
                    f"title={str(saved)!r}: a saved file's name must be relative to the working folder, without '..'",
                    "title",
                )
            )
            return
        walkthrough.steps.append(Step(fence.line, fence.targets[0], str(saved)))
    elif info in SHELL:
        walkthrough.steps.append(Step(fence.line, fence.targets[0], None))
    else:
        parsed.problems.append(
            Problem(
                fence.line,
                f"a {info or 'code'} block in walkthrough {walkthrough.name} has no file name; write "
                f'```{info or "python"} title="NAME" so the reader knows what to save it as (or put '
                "<!-- walkthrough-skip: REASON --> on the line before)",
                "title",
            )
        )


def compare_twins(korean: Parsed, english: Parsed) -> list[str]:
    """The English twin must declare the Korean page's walkthroughs, with the same steps in the same order."""
    ko_names = [w.name for w in korean.walkthroughs]
    en_names = [w.name for w in english.walkthroughs]
    if ko_names != en_names:
        return [
            f"{display(english.page)}:1: declares the walkthroughs {en_names or 'none'} but its Korean twin "
            f"{display(korean.page)} declares {ko_names or 'none'}; both must declare the same, in the same order"
        ]
    found = []
    for ko, en in zip(korean.walkthroughs, english.walkthroughs, strict=True):
        if ko.settings != en.settings:
            found.append(
                f"{en.where()}: walkthrough {en.name} has the settings {_settings(en)} "
                f"but {_settings(ko)} in {ko.where()}"
            )
        found += _compare_steps(ko, en)
    return found


def _compare_steps(ko: Walkthrough, en: Walkthrough) -> list[str]:
    for index, (a, b) in enumerate(zip(ko.steps, en.steps, strict=False), 1):
        if a.key() != b.key():
            return [
                f"{display(en.page)}:{b.line}: step {index} of walkthrough {en.name} is {b.describe()}, but in "
                f"the Korean twin ({display(ko.page)}:{a.line}) it is {a.describe()}"
            ]
    if len(ko.steps) != len(en.steps):
        return [
            f"{en.where()}: walkthrough {en.name} has {len(en.steps)} steps, but {len(ko.steps)} in the Korean "
            f"twin ({ko.where()})"
        ]
    return []


def _settings(walkthrough: Walkthrough) -> str:
    return " ".join(f"{k}={v}" for k, v in sorted(walkthrough.settings.items())) or "(none)"
