"""Why a tier did not pass, in a reader's words and the page's language.

The machine writes its reasons in English for the person at the terminal ("docker daemon not reachable: Cannot
connect to ..."); a badge shows a reader's sentence for the cause instead, and the machine's own text appears
only in the status page's detail cells. A reason the manifest gives (a tier that does not apply) is the
author's sentence, in Korean too (reason_ko).
"""

from __future__ import annotations

import re

from .words import words

# The first pattern that matches a machine's skip reason names its cause (needs.py and the tiers write them).
SKIP_CAUSES = (
    ("earlier", re.compile(r"earlier step|step .* failed", re.I)),
    ("existing", re.compile(r"--cluster=existing|existing cluster|--context", re.I)),
    ("sudo", re.compile(r"\bwith sudo\b|passwordless sudo", re.I)),
    ("resources", re.compile(r"\bneeds \d+(\.\d+)? (CPUs?|GiB)", re.I)),
    ("pypi", re.compile(r"package index|pypi", re.I)),
    ("network", re.compile(r"no network|cannot reach|network", re.I)),
    ("cluster", re.compile(r"docker|\bkind\b|kubectl|cluster|kubernetes", re.I)),
)
FAILURE_CAUSES = (
    ("engine", re.compile(r"^engine error", re.I)),
    ("timeout", re.compile(r"did not finish within|timed? ?out|deadline", re.I)),
    ("exit", re.compile(r"exited with code|exit code", re.I)),
    ("output", re.compile(r"stdout|stderr|output|does not contain|not valid YAML|wrong value|did not produce", re.I)),
)


def cause(reason: str | None, table) -> str:
    text = reason or ""
    return next((name for name, pattern in table if pattern.search(text)), "other")


def skip_sentence(result: dict, language: str) -> str:
    """The sentence for a tier that did not run: the manifest's reason (Korean on Korean pages) for a tier that
    does not apply, a reader's sentence for the cause of a machine's skip."""
    w = words(language)
    if result.get("status") == "not-applicable":
        authored = result.get("reason_ko") if language == "ko" else result.get("reason")
        return authored or w["not_applicable"]
    return w["skip"][cause(result.get("reason"), SKIP_CAUSES)]


def failure_phrase(tier: str, result: dict, language: str) -> str:
    failures = words(language)["failure"]
    if tier == "static" and not (result.get("reason") or "").startswith("engine error"):
        return failures["lint"]
    return failures[cause(result.get("reason"), FAILURE_CAUSES)]
