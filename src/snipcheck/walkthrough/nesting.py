"""A walkthrough never runs inside a run that a walkthrough of its own page started.

A clone=repo walkthrough (the Contributing page) runs this repository's own `scripts/test` in its clone; that
run would collect the same page and start the same walkthrough again, without end. So the harness adds one
variable to such a session, naming the pages whose walkthrough started it, and a run that finds its page
there skips that page's walkthroughs with the reason below. It is the one thing the harness adds to the
contributor's shell, and the report states it in the walkthrough's environment (`harness_adds`).
"""

from __future__ import annotations

import os

VARIABLE = "SNIPCHECK_WALKTHROUGH_OF"
WHAT = "names the pages whose walkthrough started this shell, so a run inside it skips their walkthroughs"


def pages() -> list[str]:
    """The pages (e.g. docs/contributing.md) whose walkthrough started the run this process belongs to."""
    return os.environ.get(VARIABLE, "").split()


def variables(page: str) -> dict[str, str]:
    """What a clone=repo session of a walkthrough of `page` gets: the outer pages, then this one."""
    return {VARIABLE: " ".join(dict.fromkeys([*pages(), page]))}


def disclosed() -> dict[str, str]:
    """The report's note on what the harness adds to the contributor's shell."""
    return {VARIABLE: WHAT}


def skip_reason(page: str) -> tuple[str, str] | None:
    """(English, Korean) reason when this run was started by a walkthrough of `page`, else None."""
    if page not in pages():
        return None
    return (
        f"this run was started by a walkthrough of {page} ({VARIABLE} is set), "
        "and a walkthrough never runs inside itself",
        f"{page}의 워크스루가 시작한 실행 안이므로({VARIABLE}가 설정됨) 실행하지 않음. "
        "워크스루는 자기 자신 안에서 다시 실행되지 않음",
    )
