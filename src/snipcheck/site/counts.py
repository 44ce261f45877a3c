"""How many snippets ran here, ran on a cluster, or were only checked: counted from the report at build time,
so the home and status pages never state a hand-written number."""

from __future__ import annotations

from dataclasses import dataclass

from .words import date_of


@dataclass
class Counts:
    total: int = 0
    in_order: int = 0  # a walkthrough passed
    alone: int = 0  # run on its own passed, no walkthrough pass
    cluster: int = 0
    cluster_at: str | None = None  # the latest cluster pass
    lint: int = 0  # the static check passed and nothing ran
    failed: int = 0
    rest: int = 0  # changed since its results, not in the report, or not checked

    @property
    def here(self) -> int:
        return self.in_order + self.alone


def tally(report: dict | None, shas: dict) -> Counts:
    """shas: snippet id -> the file's sha256 now (None when it is gone: not counted) for every snippet to count."""
    counts = Counts()
    entries = (report or {}).get("snippets") or {}
    for sid, sha in shas.items():
        if sha is None:
            continue
        counts.total += 1
        fresh = {n: t for n, t in ((entries.get(sid) or {}).get("tiers") or {}).items() if t.get("sha256") == sha}
        passed = {n for n, t in fresh.items() if t.get("status") == "passed"}
        if "walkthrough" in passed:
            counts.in_order += 1
        elif "local" in passed:
            counts.alone += 1
        if "cluster" in passed:
            counts.cluster += 1
            counts.cluster_at = max(counts.cluster_at or "", fresh["cluster"].get("at") or "") or None
        if any(t.get("status") == "failed" for t in fresh.values()):
            counts.failed += 1
        elif passed == {"static"}:
            counts.lint += 1
        elif not passed:
            counts.rest += 1
    return counts


def sentences(counts: Counts | None, language: str) -> str:
    """The counts as a short paragraph in the page's language (None: there is no report)."""
    ko = language == "ko"
    if counts is None:
        return (
            "검증 보고서가 아직 없어 셀 수 없습니다. `scripts/test` 를 실행하면 만들어집니다."
            if ko
            else "There is no verification report to count from yet; `scripts/test` writes one."
        )
    c = counts
    when = date_of(c.cluster_at)
    if ko:
        parts = [
            f"명령과 코드 블록 {c.total}개 중 **{c.here}개**는 테스트가 직접 실행했습니다"
            f"(페이지 순서대로 {c.in_order}개, 단독으로 {c.alone}개).",
            f"**{c.cluster}개**는 kind 클러스터에서 실행했습니다(마지막 클러스터 실행: {when})."
            if c.cluster
            else "kind 클러스터에서 실행한 것은 아직 없습니다.",
            f"**{c.lint}개**는 실행하지 않고 문법과 옵션만 검사했습니다.",
        ]
        parts += [f"{c.failed}개는 마지막 검사에서 실패했습니다."] if c.failed else []
        parts += [f"나머지 {c.rest}개는 마지막 검증 뒤에 바뀌었거나 아직 검사하지 않았습니다."] if c.rest else []
    else:
        parts = [
            f"Of {c.total} commands and code blocks, **{c.here}** ran in the tests "
            f"({c.in_order} in page order, {c.alone} on their own).",
            f"**{c.cluster}** ran on a kind cluster (latest cluster run: {when})."
            if c.cluster
            else "None has run on a kind cluster yet.",
            f"**{c.lint}** were not run: only their syntax and options were checked.",
        ]
        parts += [f"{c.failed} failed in their latest check."] if c.failed else []
        parts += [f"The other {c.rest} changed since their last check or have not been checked."] if c.rest else []
    return " ".join(parts)
