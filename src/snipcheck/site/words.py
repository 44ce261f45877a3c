"""The words the site shows readers about verification, in Korean and English.

A badge says what was done, never more: ran in page order, ran on a kind cluster, ran on its own, or not run
(syntax and options checked only) and why. "Verified" is not a word of this table: a lint is not a run.
"""

from __future__ import annotations

TIER_ORDER = ("static", "local", "walkthrough", "cluster")  # how far a result reaches, least first
RUN_TIERS = ("local", "walkthrough", "cluster")  # the tiers that execute a snippet

WORDS = {
    "ko": {
        "tier": {
            "static": "문법·옵션 검사",
            "local": "단독 실행",
            "walkthrough": "페이지 순서대로 실행",
            "cluster": "kind 클러스터 실행",
        },
        "status": {"passed": "통과", "failed": "실패", "skipped": "건너뜀", "not-applicable": "해당 없음"},
        "ran": "실행됨: 이 페이지 순서대로 새 환경에서 ({facts})",
        "cluster": "kind 클러스터에서 실행됨 ({facts})",
        "alone": "단독 실행됨: 이 블록만 따로, 페이지 순서와 상관없이 실행함 ({date})",
        "lint": "실행하지 않음: 문법과 옵션만 검사함 ({date})",
        "unchecked": "검사하지 않음",
        "failed": "{date}에 실패 ({tier}): {reason}",
        "details": "자세한 내용은 검증 현황 페이지에 있음",
        "changed": "마지막 검증({date}) 이후 변경됨: scripts/test 로 다시 검증하세요",
        "changed_tier": "{tier} 결과는 변경 전 파일 기준입니다",
        "no_report": "검증 보고서 없음: scripts/test 를 실행하세요",
        "not_in_report": "검증 보고서에 없음: scripts/test 를 실행하세요",
        "also_skipped": "{tier}은 하지 않음: {reason}",
        "label": "검증 상태",
        "expected_output": "위 명령의 실제 출력과 비교하는 기대 출력 · {text}",
        # Why a tier did not run, for a reader: one sentence per cause the machine reports (see reasons.py).
        "skip": {
            "cluster": "쿠버네티스 클러스터가 필요함; 클러스터 실행은 주간 CI에서 함",
            "network": "인터넷 연결이 필요한데 검사한 머신에서는 연결할 수 없었음",
            "pypi": "PyPI에서 패키지를 내려받아야 하는데 검사한 머신에서는 PyPI에 연결할 수 없었음",
            "resources": "CPU와 메모리가 더 큰 머신이 필요함; 클러스터 실행은 주간 CI에서 함",
            "existing": "기존 클러스터를 쓰는 실행이었으므로 이 단계는 하지 않음",
            "sudo": "호스트의 커널 설정을 sudo로 바꾸므로 일회용 CI 러너에서만 실행함",
            "earlier": "앞 단계가 실패해서 이 단계는 실행하지 않음",
            "other": "검사한 머신에 필요한 조건이 없어 실행하지 않음; 자세한 내용은 검증 현황 페이지에 있음",
        },
        # What went wrong in a failed run, for a reader (the tool's own message is on the status page).
        "failure": {
            "lint": "문법이나 옵션에서 문제가 발견됨",
            "timeout": "제한 시간 안에 끝나지 않음",
            "exit": "명령이 오류로 끝남",
            "output": "출력이 기대한 것과 다름",
            "engine": "검사 도구 자체에서 오류가 남",
            "other": "실행이 실패함",
        },
        "not_applicable": "해당 없음: 자세한 내용은 검증 현황 페이지에 있음",
    },
    "en": {
        "tier": {
            "static": "syntax and options check",
            "local": "run on its own",
            "walkthrough": "run in page order",
            "cluster": "kind cluster run",
        },
        "status": {"passed": "passed", "failed": "failed", "skipped": "skipped", "not-applicable": "not applicable"},
        "ran": "Ran in page order in a fresh environment ({facts})",
        "cluster": "Ran on a kind cluster ({facts})",
        "alone": "Run on its own: this block alone, outside the page's order ({date})",
        "lint": "Not run: syntax and options checked only ({date})",
        "unchecked": "Not checked",
        "failed": "Failed on {date} ({tier}): {reason}",
        "details": "the status page has the details",
        "changed": "Changed since the last verification ({date}): run scripts/test again",
        "changed_tier": "the {tier} result is for the file before it changed",
        "no_report": "No verification report: run scripts/test",
        "not_in_report": "Not in the verification report: run scripts/test",
        "also_skipped": "No {tier}: {reason}",
        "label": "Verification",
        "expected_output": "Expected output, compared with the command's real output · {text}",
        "skip": {
            "cluster": "Needs a Kubernetes cluster; the weekly CI workflow runs it on one",
            "network": "Needs the internet, which the checking machine could not reach",
            "pypi": "Needs packages from PyPI, which the checking machine could not reach",
            "resources": "Needs a machine with more CPUs and memory; the weekly CI workflow runs it on one",
            "existing": "The run used an existing cluster, so this step was left out",
            "sudo": "Changes the host's kernel settings with sudo; runs only on a disposable CI runner",
            "earlier": "An earlier step failed, so this one was not run",
            "other": "The checking machine lacked something this needs; the status page has the details",
        },
        "failure": {
            "lint": "the syntax or options check found a problem",
            "timeout": "did not finish in time",
            "exit": "the command ended with an error",
            "output": "the output was not what was expected",
            "engine": "the checking tool itself failed",
            "other": "the run failed",
        },
        "not_applicable": "Not applicable: the status page has the details",
    },
}


def words(language: str) -> dict:
    return WORDS.get(language, WORDS["ko"])


def date_of(stamp: str | None) -> str:
    """The day of an ISO 8601 timestamp (UTC), as readers need it; '?' when the report has none."""
    return stamp[:10] if isinstance(stamp, str) and len(stamp) >= 10 else "?"


def short(reason: str | None, limit: int = 140) -> str:
    """The first line of a reason, cut to fit a table cell ('' for none)."""
    text = (reason or "").strip()
    text = text.splitlines()[0].strip() if text else ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
