"""The words the site shows readers about verification, in Korean and English."""
from __future__ import annotations

TIER_ORDER = ("static", "local", "cluster")      # cheapest first; the last one passed is the highest

WORDS = {
    "ko": {
        "tier": {"static": "정적 검사", "local": "로컬 실행", "cluster": "클러스터 실행"},
        "status": {"passed": "통과", "failed": "실패", "skipped": "건너뜀", "not-applicable": "해당 없음"},
        "verified": "검증됨: {tier} 통과 ({date})",
        "failed": "{date}에 실패 ({tier}): {reason}",
        "not_verified": "이 환경에서는 검증하지 않음: {reason}",
        "higher_skipped": "{tier}: 검증하지 않음 ({reason})",
        "changed": "마지막 검증({date}) 이후 변경됨: scripts/test 로 다시 검증하세요",
        "changed_tier": "{tier} 결과는 변경 전 파일 기준입니다",
        "no_report": "검증 보고서 없음: scripts/test 를 실행하세요",
        "not_in_report": "검증 보고서에 없음: scripts/test 를 실행하세요",
        "no_reason": "사유 없음",
        "label": "검증 상태",
    },
    "en": {
        "tier": {"static": "static check", "local": "local run", "cluster": "cluster run"},
        "status": {"passed": "passed", "failed": "failed", "skipped": "skipped", "not-applicable": "not applicable"},
        "verified": "Verified: {tier} passed ({date})",
        "failed": "Failed on {date} ({tier}): {reason}",
        "not_verified": "Not verified here: {reason}",
        "higher_skipped": "{tier}: not verified ({reason})",
        "changed": "Changed since the last verification ({date}): run scripts/test again",
        "changed_tier": "the {tier} result is for the file before it changed",
        "no_report": "No verification report: run scripts/test",
        "not_in_report": "Not in the verification report: run scripts/test",
        "no_reason": "no reason given",
        "label": "Verification",
    },
}


def words(language: str) -> dict:
    return WORDS.get(language, WORDS["ko"])


def date_of(stamp: str | None) -> str:
    """The day of an ISO 8601 timestamp (UTC), as readers need it; '?' when the report has none."""
    return stamp[:10] if isinstance(stamp, str) and len(stamp) >= 10 else "?"


def short(reason: str | None, language: str, limit: int = 140) -> str:
    """The first line of a reason, cut to fit a badge."""
    text = (reason or "").strip().splitlines()[0].strip() if (reason or "").strip() else words(language)["no_reason"]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
