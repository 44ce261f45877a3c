"""The expectation verbs: exit code, stdout/stderr matchers, expected-output files and produced files.

Every check returns Mismatch records (never raises on a mismatch), each one sentence plus details that put
what was expected beside what was received, so the local and the cluster tier word failures alike.
With --update-expected, `refresh_output_file` rewrites an expected-output file from a run's stdout (the local
tier and the walkthroughs call it once everything else of the run passed); `update_refusal` says why not in CI.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .manifest import Expect, FileExpect, Matcher

ELISION = "..."  # a line of only this in an expected-output file matches any run of lines
SHOWN = 200  # characters of a received value quoted in a detail line


@dataclass
class Mismatch:
    summary: str  # one sentence
    details: list[str] = field(default_factory=list)


def _quote(value) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


# --- exit code -------------------------------------------------------------------------------------------


def exit_code(expected: int, received: int) -> Mismatch | None:
    if expected == received:
        return None
    return Mismatch(
        f"exited with code {received}, expected {expected}",
        [f"expected exit code: {expected}", f"received exit code: {received}"],
    )


# --- stdout / stderr matchers ----------------------------------------------------------------------------


def _matched(matcher: Matcher, text: str) -> bool:
    if matcher.verb == "contains":
        return matcher.text in text
    if matcher.verb == "not_contains":
        return matcher.text not in text
    return re.search(matcher.text, text, re.MULTILINE) is not None


def _matcher_sentence(stream: str, matcher: Matcher) -> str:
    if matcher.verb == "contains":
        return f"{stream} does not contain {matcher.text!r}"
    if matcher.verb == "not_contains":
        return f"{stream} contains {matcher.text!r}, which it must not"
    return f"{stream} has no match for the regex {matcher.text!r}"


def matchers(stream: str, checks, text: str) -> list[Mismatch]:
    """Each matcher (contains / not_contains / regex) that the stream's text fails."""
    found = []
    for matcher in checks:
        if _matched(matcher, text):
            continue
        details = [
            f"expected: {stream} {matcher.verb.replace('_', ' ')} {matcher.text!r} (checks.yaml line {matcher.line})"
        ]
        if matcher.verb == "not_contains":
            hits = [row for row in text.splitlines() if matcher.text in row]
            details.append(f"received: {len(hits)} line(s) with it, first: {_quote(hits[0] if hits else '')}")
        else:
            details.append(f"received: {len(text.splitlines())} line(s) of {stream}; its tail is shown above")
        found.append(Mismatch(_matcher_sentence(stream, matcher), details))
    return found


# --- expected-output files -------------------------------------------------------------------------------


def normalized_lines(text: str) -> list[str]:
    """Lines without trailing whitespace and without trailing blank lines."""
    rows = [row.rstrip() for row in text.splitlines()]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def output_matches(expected: list[str], received: list[str]) -> bool:
    """True when received fits expected, where an ELISION line stands for any run of lines (even none)."""
    # reach[j]: the first j received lines are matched by the expected lines seen so far.
    reach = [True] + [False] * len(received)
    for row in expected:
        if _elides(row):
            for j in range(1, len(reach)):
                reach[j] = reach[j] or reach[j - 1]
        else:
            reach = [False] + [reach[j - 1] and received[j - 1] == row for j in range(1, len(reach))]
    return reach[-1]


def unified_diff(expected: list[str], received: list[str], expected_name: str) -> list[str]:
    return list(
        difflib.unified_diff(
            expected, received, fromfile=f"{expected_name} (expected)", tofile="stdout (received)", lineterm=""
        )
    )


def output_file(path: Path, shown_as: str, stdout: str) -> Mismatch | None:
    """Compare stdout with an expected-output file; the mismatch carries a unified diff."""
    expected = normalized_lines(path.read_text(encoding="utf-8"))
    received = normalized_lines(stdout)
    if output_matches(expected, received):
        return None
    note = (
        ["(a line of only '...' in the expected file matches any run of lines)"]
        if any(_elides(row) for row in expected)
        else []
    )
    return Mismatch(
        f"stdout does not match the expected output in {shown_as}",
        ["diff of expected vs received stdout:"]
        + [f"  {row}" for row in unified_diff(expected, received, shown_as)]
        + note,
    )


def refreshed_output(old_text: str, stdout: str) -> tuple[str, str | None]:
    """The new text of an expected-output file, and a note when the old '...' lines could not be kept.

    An elided run is kept only when the lines bounding it in the old file (or the file's start or end)
    each occur exactly once in the new stdout, in order: then the lines it stands for are unambiguous.
    """
    old, new = normalized_lines(old_text), normalized_lines(stdout)
    if not any(_elides(row) for row in old):
        return _text(new), None
    replaced = (
        _text(new),
        "its '...' lines could not be kept safely (the lines around them changed or "
        "repeat), so the whole file was replaced by the received stdout",
    )
    kept, cursor = [], 0
    for index, row in enumerate(old):
        if not _elides(row) or (index and _elides(old[index - 1])):
            continue
        before = old[index - 1] if index else None
        after = old[index + 1] if index + 1 < len(old) else None
        start = _only_index(new, before) if before is not None else -1  # last line shown before the gap
        end = _only_index(new, after) if after is not None else len(new)  # first line shown after it
        if start is None or end is None or not cursor - 1 <= start < end:
            return replaced
        kept += new[cursor : start + 1] + [ELISION]
        cursor = end
    kept += new[cursor:]
    return (_text(kept), None) if output_matches(kept, new) else replaced


UPDATE_REFUSED_IN_CI = (
    "--update-expected is refused in CI (the CI variable is set); refresh expected outputs on "
    "your own machine and commit them"
)


def update_refusal() -> str | None:
    """Why expected-output files may not be rewritten here (the CI variable is set), or None."""
    return UPDATE_REFUSED_IN_CI if os.environ.get("CI") else None


def refresh_output_file(group_dir: Path, expect: Expect, shown_group: str, stdout: str) -> dict | None:
    """Rewrite expect.output_file from stdout when it no longer matches; print and return the diff.

    Call it only after every other check of the run passed (exit code, matchers, produced files)."""
    name = expect.output_file
    if not name:
        return None
    path = group_dir / name
    shown = f"{shown_group}/{name}" if shown_group else name
    old_text = path.read_text(encoding="utf-8")
    old = normalized_lines(old_text)
    if output_matches(old, normalized_lines(stdout)):
        return None
    new_text, note = refreshed_output(old_text, stdout)
    path.write_text(new_text, encoding="utf-8")
    diff = "\n".join(unified_diff(old, normalized_lines(new_text), shown))
    diff = diff.replace("stdout (received)", f"{shown} (updated)", 1)
    message = f"--update-expected rewrote {shown}" + (f"; {note}" if note else "")
    print(f"\n{message}\n{diff}")
    return {"file": shown, "diff": diff, "note": note}


def _elides(row: str) -> bool:
    return row.strip() == ELISION


def _only_index(rows: list[str], wanted: str) -> int | None:
    hits = [i for i, row in enumerate(rows) if row == wanted]
    return hits[0] if len(hits) == 1 else None


def _text(rows: list[str]) -> str:
    return "\n".join(rows) + "\n" if rows else ""


# --- produced files --------------------------------------------------------------------------------------


class _NoValue:
    """A dotted path that leads nowhere."""

    def __init__(self, reason: str):
        self.reason = reason


def yaml_values(document, dotted: str) -> list | _NoValue:
    """The values at a dotted path; '*' maps over a list (or a mapping's values), so results flatten."""
    current = [document]
    walked: list[str] = []
    for part in dotted.split("."):
        following = []
        for value in current:
            if part == "*":
                if isinstance(value, list):
                    following += value
                elif isinstance(value, dict):
                    following += list(value.values())
                else:
                    return _NoValue(f"'{'.'.join(walked) or '(top)'}' is a {type(value).__name__}, not a list")
            elif isinstance(value, dict) and part in value:
                following.append(value[part])
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                following.append(value[int(part)])
            elif "*" not in walked:
                keys = ", ".join(map(str, value)) if isinstance(value, dict) else type(value).__name__
                return _NoValue(f"no key {part!r} under '{'.'.join(walked) or '(top)'}' (it has: {keys})")
        walked.append(part)
        current = following
    return current


def _yaml_check(documents: list, dotted: str, expected) -> str | None:
    """Why the documents fail the check at dotted, or None. With '*', every expected value must be found."""
    many = "*" in dotted.split(".")
    wanted = expected if (many and isinstance(expected, list)) else [expected]
    received, reasons = [], []
    for document in documents:
        values = yaml_values(document, dotted)
        if isinstance(values, _NoValue):
            reasons.append(values.reason)
        else:
            received += values
    if not received and reasons:
        return reasons[0]
    missing = [value for value in wanted if value not in received]
    if not missing:
        return None
    shown = received if many else (received[0] if len(received) == 1 else received)
    what = f"includes {_quote(missing if len(missing) > 1 else missing[0])}" if many else f"is {_quote(expected)}"
    return f"expected {dotted} {what}; received {_quote(shown)}"


def produced_file(workdir: Path, check: FileExpect) -> list[Mismatch]:
    """A file the snippet should have written: it exists, contains each text, has each YAML value."""
    path = workdir / check.path
    if not path.is_file():
        near = sorted(p.name for p in path.parent.iterdir()) if path.parent.is_dir() else []
        return [
            Mismatch(
                f"the snippet did not produce {check.path}",
                [
                    f"expected: a file {check.path} in the working folder (checks.yaml line {check.line})",
                    f"received: files there: {', '.join(near) or '(none)'}",
                ],
            )
        ]
    text = path.read_text(encoding="utf-8", errors="replace")
    found = [
        Mismatch(
            f"{check.path} does not contain {piece!r}",
            [
                f"expected: {check.path} contains {piece!r} (checks.yaml line {check.line})",
                f"received: {len(text.splitlines())} line(s), first: {_quote(text.splitlines()[:1])}",
            ],
        )
        for piece in check.contains
        if piece not in text
    ]
    if check.yaml:
        found += _yaml_mismatches(check, text)
    return found


def _yaml_mismatches(check: FileExpect, text: str) -> list[Mismatch]:
    try:
        documents = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{check.path}:{mark.line + 1}" if mark else check.path
        return [Mismatch(f"{check.path} is not valid YAML", [f"received: {where}: {exc}"])]
    found = []
    for dotted, expected in check.yaml.items():
        reason = _yaml_check(documents, str(dotted), expected)
        if reason:
            found.append(
                Mismatch(f"{check.path} has the wrong value at {dotted}", [f"{reason} (checks.yaml line {check.line})"])
            )
    return found


# --- everything of one expect block ----------------------------------------------------------------------


def expectations(
    expect: Expect,
    *,
    exit_code_received: int,
    stdout: str,
    stderr: str,
    workdir: Path,
    group_dir: Path | None = None,
    shown_group: str = "",
    with_output_file: bool = True,
) -> list[Mismatch]:
    """Every mismatch of one expect block, the exit code first (later checks mean little after it)."""
    wrong_exit = exit_code(expect.exit, exit_code_received)
    if wrong_exit:
        return [wrong_exit]
    found = matchers("stdout", expect.stdout, stdout) + matchers("stderr", expect.stderr, stderr)
    if with_output_file and expect.output_file and group_dir is not None:
        shown = f"{shown_group}/{expect.output_file}" if shown_group else expect.output_file
        mismatch = output_file(group_dir / expect.output_file, shown, stdout)
        found += [mismatch] if mismatch else []
    for check in expect.files:
        found += produced_file(workdir, check)
    return found
