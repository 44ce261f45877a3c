"""The status page: the whole report as tables, in the page's language."""
from __future__ import annotations

import html
from collections import Counter

from ..report import STATUSES
from .badges import ICONS, verdict
from .report_view import reason_in
from .words import TIER_ORDER, date_of, short, words

HEAD = {
    "ko": {"summary": "요약", "made": "보고서 작성: {when} · {os} · Python {python} · CPU {cpus}개",
           "tools": "도구 버전", "tool": "도구", "version": "버전", "tier": "단계", "changed": "변경됨",
           "snippets": "스니펫별 결과", "snippet": "스니펫", "pages": "사용하는 문서", "now": "지금 표시되는 상태",
           "chains": "클러스터 체인", "chain": "체인", "node_image": "노드 이미지", "status": "상태",
           "at": "시각", "evidence": "증거", "none": "없음", "no_chains": "기록된 클러스터 체인이 없습니다.",
           "absent": "해당 단계 결과 없음", "no_report": "검증 보고서가 없습니다. `scripts/test` 를 실행하면 "
           "`reports/snippets.json` 이 만들어지고, 다음 사이트 빌드부터 이 표가 채워집니다."},
    "en": {"summary": "Summary", "made": "Report made: {when} · {os} · Python {python} · {cpus} CPUs",
           "tools": "Tool versions", "tool": "Tool", "version": "Version", "tier": "Tier", "changed": "changed",
           "snippets": "Every snippet", "snippet": "Snippet", "pages": "Pages", "now": "Shown on the pages",
           "chains": "Cluster chains", "chain": "Chain", "node_image": "Node image", "status": "Status",
           "at": "At", "evidence": "Evidence", "none": "none", "no_chains": "No cluster chain has been recorded.",
           "absent": "no result for this tier", "no_report": "There is no verification report. `scripts/test` "
           "writes `reports/snippets.json`; the next site build fills these tables."},
}


def cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    return html.escape(str(text)).replace("|", "&#124;").replace("\n", " ")


def row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def render(report: dict | None, language: str, shas: dict, page_links: dict) -> str:
    """Markdown for the status page. shas: snippet id -> current sha256 (None if the file is gone);
    page_links: snippet id -> [(link target, label)] of the pages in this language that embed it."""
    h = HEAD.get(language, HEAD["ko"])
    if report is None:
        parts = [f"## {h['summary']}", "", h["no_report"], "", f"## {h['snippets']}", "",
                 _wide(_snippet_table(None, language, shas, page_links))]
        return "\n".join(parts) + "\n"
    parts = [f"## {h['summary']}", "", _made(report, h), "", _counts(report, language, shas), "",
             f"### {h['tools']}", "", _tools(report, h), "", f"## {h['snippets']}", "",
             _wide(_snippet_table(report, language, shas, page_links)), "", f"## {h['chains']}", "",
             _wide(_chains(report, language))]
    return "\n".join(parts) + "\n"


def _wide(table: str) -> str:
    """A table in a block the badge CSS sets in a smaller type, so all columns fit beside each other."""
    return f'<div class="snipcheck-table" markdown="1">\n\n{table}\n\n</div>'


def _made(report: dict, h: dict) -> str:
    m = report.get("machine") or {}
    return h["made"].format(when=cell(report.get("updated") or "?"), os=cell(m.get("os", "?")),
                            python=cell(m.get("python", "?")), cpus=cell(m.get("cpus", "?")))


def _counts(report: dict, language: str, shas: dict) -> str:
    w, h = words(language), HEAD.get(language, HEAD["ko"])
    counts: Counter = Counter()
    for sid, entry in report["snippets"].items():
        for tier, result in entry.get("tiers", {}).items():
            changed = shas.get(sid) is not None and result.get("sha256") != shas.get(sid)
            counts[tier, "changed" if changed else result.get("status")] += 1
    columns = list(STATUSES) + ["changed"]
    lines = [row([h["tier"]] + [w["status"].get(s, h["changed"]) for s in columns]),
             row(["---"] * (len(columns) + 1))]
    tiers = [t for t in TIER_ORDER] + sorted({t for t, _ in counts} - set(TIER_ORDER))
    for tier in tiers:
        lines.append(row([w["tier"].get(tier, tier)] + [str(counts[tier, s]) for s in columns]))
    return "\n".join(lines)


def _tools(report: dict, h: dict) -> str:
    lines = [row([h["tool"], h["version"]]), row(["---", "---"])]
    for name, version in sorted((report.get("tools") or {}).items()):
        lines.append(row([cell(name), cell(version if version else h["none"])]))
    return "\n".join(lines)


def _tier_cell(result: dict | None, current_sha, language: str) -> str:
    w, h = words(language), HEAD.get(language, HEAD["ko"])
    if not result:
        return cell(h["absent"])
    status = result.get("status", "?")
    icon = ICONS["passed"] if status == "passed" else ICONS["failed"] if status == "failed" else ICONS["unverified"]
    parts = [f"{icon} {w['status'].get(status, status)}", date_of(result.get("at"))]
    reason = reason_in(result, language)
    if reason:
        parts.append(short(reason, language, 90))
    if current_sha is not None and result.get("sha256") != current_sha:
        parts.append(f"{ICONS['changed']} {h['changed']}")
    env = result.get("environment") or {}
    if env:
        parts.append(", ".join(f"{k} {v}" for k, v in sorted(env.items())))
    return "<br>".join(cell(p) for p in parts)


def _snippet_table(report: dict | None, language: str, shas: dict, page_links: dict) -> str:
    w, h = words(language), HEAD.get(language, HEAD["ko"])
    lines = [row([h["snippet"], h["pages"]] + [w["tier"][t] for t in TIER_ORDER] + [h["now"]]),
             row(["---"] * (len(TIER_ORDER) + 3))]
    entries = (report or {}).get("snippets") or {}
    for sid in sorted(set(entries) | set(shas)):
        entry = entries.get(sid)
        links = ", ".join(f"[{cell(label)}]({target})" for target, label in page_links.get(sid, [])) or h["none"]
        tiers = (entry or {}).get("tiers", {})
        now = verdict(entry, shas.get(sid), report, language)
        lines.append(row([f"`{sid}`", links] + [_tier_cell(tiers.get(t), shas.get(sid), language) for t in TIER_ORDER]
                         + [cell(f"{ICONS[now.kind]} {now.text}")]))
    return "\n".join(lines)


def _chains(report: dict, language: str) -> str:
    w, h = words(language), HEAD.get(language, HEAD["ko"])
    chains = report.get("chains") or {}
    if not chains:
        return h["no_chains"]
    lines = [row([h["chain"], "kind", h["node_image"], "Kubernetes", h["status"], h["at"], h["evidence"]]),
             row(["---"] * 7)]
    for name, chain in sorted(chains.items()):
        status = w["status"].get(chain.get("status"), chain.get("status") or "?")
        if chain.get("reason"):
            status += f": {short(chain['reason'], language, 120)}"
        lines.append(row([cell(name)] + [cell(chain.get(k) or h["none"]) for k in ("kind", "node_image", "kubernetes")]
                         + [cell(status), cell(chain.get("at") or "?"), cell(chain.get("evidence") or h["none"])]))
    return "\n".join(lines)
