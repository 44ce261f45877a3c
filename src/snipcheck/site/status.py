"""The status page: the whole report as tables, in the page's language.

Readers' sentences everywhere, except the tier cells of the snippet table and the walkthrough and chain tables,
which are the details: there the machine's own message follows the reader's sentence.

The tables are written as HTML, not as Markdown tables, and the hook sets them into the page once Markdown is
done (render's place): nothing in them is Markdown, and Python-Markdown would read a few hundred rows of cells
or raw HTML tags in every language's build."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable

from ..report import CI_RUNNER, CI_RUNS, STATUSES
from .badges import ICONS, verdict
from .reasons import failure_phrase, skip_sentence
from .words import RUN_TIERS, TIER_ORDER, date_of, short, words

HEAD = {
    "ko": {
        "summary": "요약",
        "made": "보고서 작성: {when} · {os} · Python {python} · CPU {cpus}개",
        "tools": "도구 버전",
        "tool": "도구",
        "version": "버전",
        "tier": "단계",
        "changed": "변경됨",
        "snippets": "스니펫별 결과",
        "snippet": "스니펫",
        "pages": "사용하는 문서",
        "now": "지금 표시되는 상태",
        "where": "실행되는 곳",
        "here_order": "여기: 페이지 순서대로 ({name})",
        "here_alone": "여기: 단독 실행",
        "in_ci": "CI: 새 클론에서 CI 자신의 셸에 붙여 넣어 실행 (.ci/run)",
        "on_cluster": "클러스터 워크플로 (체인 {chain})",
        "on_cluster_any": "클러스터 워크플로",
        "nowhere": "실행하지 않음: {reason}",
        "raw": "원문: {text}",
        "walkthroughs": "페이지 순서대로 실행 (워크스루)",
        "walkthrough": "워크스루",
        "page": "문서",
        "attempts": "1차 / 2차 시도",
        "duration": "걸린 시간",
        "environment": "환경",
        "steps": "단계 수",
        "here": "여기",
        "cluster_wf": "클러스터 워크플로",
        "seconds": "{s:.1f}초",
        "no_walkthroughs": "기록된 워크스루가 없습니다.",
        "chains": "클러스터 체인",
        "chain": "체인",
        "node_image": "노드 이미지",
        "status": "상태",
        "at": "시각",
        "evidence": "증거",
        "none": "없음",
        "no_chains": "기록된 클러스터 체인이 없습니다.",
        "absent": "해당 단계 결과 없음",
        "no_report": "검증 보고서가 없습니다. `scripts/test` 를 실행하면 "
        "`reports/snippets.json` 이 만들어지고, 다음 사이트 빌드부터 이 표가 채워집니다.",
    },
    "en": {
        "summary": "Summary",
        "made": "Report made: {when} · {os} · Python {python} · {cpus} CPUs",
        "tools": "Tool versions",
        "tool": "Tool",
        "version": "Version",
        "tier": "Tier",
        "changed": "changed",
        "snippets": "Every snippet",
        "snippet": "Snippet",
        "pages": "Pages",
        "now": "Shown on the pages",
        "where": "Where it runs",
        "here_order": "here, in page order ({name})",
        "here_alone": "here, on its own",
        "in_ci": "CI: pasted into CI's own shell on a fresh clone (.ci/run)",
        "on_cluster": "the cluster workflow (chain {chain})",
        "on_cluster_any": "the cluster workflow",
        "nowhere": "not run: {reason}",
        "raw": "message: {text}",
        "walkthroughs": "Run in page order (walkthroughs)",
        "walkthrough": "Walkthrough",
        "page": "Page",
        "attempts": "Attempt 1 / 2",
        "duration": "Duration",
        "environment": "Environment",
        "steps": "Steps",
        "here": "here",
        "cluster_wf": "cluster workflow",
        "seconds": "{s:.1f} s",
        "no_walkthroughs": "No walkthrough has been recorded.",
        "chains": "Cluster chains",
        "chain": "Chain",
        "node_image": "Node image",
        "status": "Status",
        "at": "At",
        "evidence": "Evidence",
        "none": "none",
        "no_chains": "No cluster chain has been recorded.",
        "absent": "no result for this tier",
        "no_report": "There is no verification report. `scripts/test` "
        "writes `reports/snippets.json`; the next site build fills these tables.",
    },
}


def cell(text) -> str:
    """Text safe inside an HTML table cell, on one line."""
    return html.escape(str(text)).replace("\n", " ")


def table(head: list[str], rows: list[list[str]]) -> str:
    """An HTML table of header words (escaped here) and cells (already HTML), one row a line, no blank line."""
    lines = ["<table>", "<thead>", "<tr>" + "".join(f"<th>{cell(h)}</th>" for h in head) + "</tr>", "</thead>"]
    lines += ["<tbody>"] + ["<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows] + ["</tbody>"]
    return "\n".join(lines + ["</table>"])


def render(
    report: dict | None,
    language: str,
    shas: dict,
    page_links: dict,
    counts: str = "",
    place: Callable[[str], str] = lambda block: block,
) -> str:
    """Markdown for the status page. shas: snippet id -> current sha256 (None if the file is gone);
    page_links: snippet id -> [(URL relative to the status page, label)] of the pages in this language that embed it;
    counts: the counts paragraph (counts.sentences); place(html): what stands for a table in the Markdown (the
    table itself, or a placeholder the hook replaces once Markdown is done)."""
    h = HEAD.get(language, HEAD["ko"])
    if report is None:
        parts = [
            f"## {h['summary']}",
            "",
            h["no_report"],
            "",
            f"## {h['snippets']}",
            "",
            place(_wide(_snippet_table(None, language, shas, page_links))),
        ]
        return "\n".join(parts) + "\n"
    parts = [
        f"## {h['summary']}",
        "",
        _made(report, h),
        "",
        counts,
        "",
        place(_counts(report, language, shas)),
        "",
        f"### {h['tools']}",
        "",
        place(_tools(report, h)),
        "",
        f"## {h['snippets']}",
        "",
        place(_wide(_snippet_table(report, language, shas, page_links))),
        "",
        f"## {h['walkthroughs']}",
        "",
        place(_wide(_walkthroughs(report, language))),
        "",
        f"## {h['chains']}",
        "",
        place(_wide(_chains(report, language))),
    ]
    return "\n".join(parts) + "\n"


def _wide(content: str) -> str:
    """A table in a block the badge CSS sets in a smaller type, so all columns fit beside each other."""
    return f'<div class="snipcheck-table">\n{content}\n</div>'


def _made(report: dict, h: dict) -> str:
    m = report.get("machine") or {}
    return h["made"].format(
        when=cell(report.get("updated") or "?"),
        os=cell(m.get("os_name") or m.get("os", "?")),
        python=cell(m.get("python", "?")),
        cpus=cell(m.get("cpus", "?")),
    )


def _counts(report: dict, language: str, shas: dict) -> str:
    w, h = words(language), HEAD.get(language, HEAD["ko"])
    counts: Counter = Counter()
    for sid, entry in report["snippets"].items():
        for tier, result in entry.get("tiers", {}).items():
            changed = shas.get(sid) is not None and result.get("sha256") != shas.get(sid)
            counts[tier, "changed" if changed else result.get("status")] += 1
    columns = list(STATUSES) + ["changed"]
    tiers = [t for t in TIER_ORDER] + sorted({t for t, _ in counts} - set(TIER_ORDER))
    return table(
        [h["tier"]] + [w["status"].get(s, h["changed"]) for s in columns],
        [[cell(w["tier"].get(tier, tier))] + [str(counts[tier, s]) for s in columns] for tier in tiers],
    )


def _tools(report: dict, h: dict) -> str:
    tools = sorted((report.get("tools") or {}).items())
    return table([h["tool"], h["version"]], [[cell(name), cell(version or h["none"])] for name, version in tools])


def _reader_reason(tier: str, result: dict, language: str) -> str | None:
    status = result.get("status")
    if status == "failed":
        return failure_phrase(tier, result, language)
    if status in ("skipped", "not-applicable"):
        return skip_sentence(result, language)
    return None


def _tier_cell(tier: str, result: dict | None, current_sha, language: str) -> str:
    """A detail cell: status, date, the reader's reason, then the machine's own message when it differs."""
    w, h = words(language), HEAD.get(language, HEAD["ko"])
    if not result:
        return cell(h["absent"])
    status = result.get("status", "?")
    icon = ICONS["cluster"] if status == "passed" else ICONS["failed"] if status == "failed" else ICONS["lint"]
    parts = [f"{icon} {w['status'].get(status, status)}", date_of(result.get("at"))]
    reader = _reader_reason(tier, result, language)
    if reader:
        parts.append(reader)
    raw = short(result.get("reason"), 160)
    if raw and status != "not-applicable":
        parts.append(h["raw"].format(text=raw))
    if current_sha is not None and result.get("sha256") != current_sha:
        parts.append(f"{ICONS['changed']} {h['changed']}")
    env = result.get("environment") or {}
    if env:
        parts.append(", ".join(f"{k} {v}" for k, v in sorted(env.items()) if not isinstance(v, (dict, list))))
    return "<br>".join(cell(p) for p in parts if p)


def walkthroughs_of(report: dict, sid: str) -> list[tuple[str, dict]]:
    return [
        (wid, wt)
        for wid, wt in sorted((report.get("walkthroughs") or {}).items())
        if isinstance(wt, dict) and sid in (wt.get("steps") or [])
    ]


def where_it_runs(report: dict | None, sid: str, tiers: dict, language: str) -> str:
    """Where this snippet is run: here (which walkthrough, or on its own), the cluster workflow (which chain),
    or nowhere and why."""
    h = HEAD.get(language, HEAD["ko"])
    applies = {n for n in RUN_TIERS if n in tiers and tiers[n].get("status") != "not-applicable"}
    walks = walkthroughs_of(report or {}, sid)
    places = []
    for wid, wt in walks:
        if wt.get("where") != "cluster":
            places.append(h["here_order"].format(name=wid))
    if "walkthrough" in applies and not places and tiers["walkthrough"].get("environment", {}).get("walkthrough"):
        places.append(h["here_order"].format(name=tiers["walkthrough"]["environment"]["walkthrough"]))
    if "local" in applies:
        by_ci = (tiers["local"].get("environment") or {}).get("ran_by") == CI_RUNNER
        places.append(h["in_ci"] if by_ci else h["here_alone"])
    elif sid in CI_RUNS:  # CI runs it; this report is from a run of the suite, which never does
        places.append(h["in_ci"])
    if "cluster" in applies:
        chain = (tiers["cluster"].get("environment") or {}).get("chain") or next(
            (wt.get("chain") for _, wt in walks if wt.get("where") == "cluster" and wt.get("chain")), None
        )
        places.append(h["on_cluster"].format(chain=chain) if chain else h["on_cluster_any"])
    if places:
        return "<br>".join(cell(p) for p in places)
    absent = [tiers[n] for n in RUN_TIERS if n in tiers] or list(tiers.values())
    reason = skip_sentence(absent[0], language) if absent else words(language)["not_applicable"]
    return cell(h["nowhere"].format(reason=reason))


def _snippet_table(report: dict | None, language: str, shas: dict, page_links: dict) -> str:
    w, h = words(language), HEAD.get(language, HEAD["ko"])
    rows = []
    entries = (report or {}).get("snippets") or {}
    for sid in sorted(set(entries) | set(shas)):
        entry = entries.get(sid)
        links = ", ".join(f'<a href="{cell(url)}">{cell(label)}</a>' for url, label in page_links.get(sid, []))
        tiers = (entry or {}).get("tiers", {})
        now = verdict(entry, shas.get(sid), report, language)
        where = where_it_runs(report, sid, tiers, language) if entry else cell(h["none"])
        rows.append(
            [f"<code>{cell(sid)}</code>", links or cell(h["none"]), where]
            + [_tier_cell(t, tiers.get(t), shas.get(sid), language) for t in TIER_ORDER]
            + ["<br>".join(cell(p) for p in [f"{ICONS[now.kind]} {now.text}"] + now.notes)]
        )
    head = [h["snippet"], h["pages"], h["where"]] + [w["tier"][t] for t in TIER_ORDER] + [h["now"]]
    return table(head, rows)


def _attempt(run: dict, h: dict, w: dict) -> str:
    text = f"{w['status'].get(run.get('status'), run.get('status') or '?')}"
    if isinstance(run.get("duration"), (int, float)):
        text += f" · {h['seconds'].format(s=run['duration'])}"
    if run.get("failed_step"):
        text += f" · {run['failed_step']}"
    return text


def _walkthroughs(report: dict, language: str) -> str:
    w, h = words(language), HEAD.get(language, HEAD["ko"])
    walks = {k: v for k, v in (report.get("walkthroughs") or {}).items() if isinstance(v, dict)}
    if not walks:
        return f"<p>{cell(h['no_walkthroughs'])}</p>"
    rows = []
    for wid, wt in sorted(walks.items()):
        where = (
            h["cluster_wf"] + (f" ({wt['chain']})" if wt.get("chain") else "")
            if wt.get("where") == "cluster"
            else h["here"]
        )
        status = w["status"].get(wt.get("status"), wt.get("status") or "?")
        if wt.get("status") in ("failed", "skipped"):
            result = {"status": wt["status"], "reason": wt.get("reason"), "reason_ko": wt.get("reason_ko")}
            status += ": " + (_reader_reason("walkthrough", result, language) or "")
            if wt.get("reason"):
                status += "<br>" + h["raw"].format(text=short(wt["reason"], 160))
        runs = sorted((r for r in wt.get("runs") or [] if isinstance(r, dict)), key=lambda r: r.get("attempt") or 0)
        attempts = " / ".join(_attempt(r, h, w) for r in runs) or h["none"]
        duration = h["seconds"].format(s=wt["duration"]) if isinstance(wt.get("duration"), (int, float)) else "?"
        env = ", ".join(
            f"{k} {v}" for k, v in sorted((wt.get("environment") or {}).items()) if not isinstance(v, (dict, list))
        )
        page = f"{wt.get('page') or '?'}" + (f":{wt['line']}" if wt.get("line") else "")
        rows.append(
            [
                cell(wid),
                cell(page),
                cell(where),
                "<br>".join(cell(p) for p in status.split("<br>")),
                cell(attempts),
                cell(duration),
                cell(wt.get("at") or "?"),
                cell(env or h["none"]),
                cell(len(wt.get("steps") or [])),
            ]
        )
    head = ["walkthrough", "page", "where", "status", "attempts", "duration", "at", "environment", "steps"]
    return table([h[k] for k in head], rows)


def _chains(report: dict, language: str) -> str:
    w, h = words(language), HEAD.get(language, HEAD["ko"])
    chains = report.get("chains") or {}
    if not chains:
        return f"<p>{cell(h['no_chains'])}</p>"
    rows = []
    for name, chain in sorted(chains.items()):
        status = w["status"].get(chain.get("status"), chain.get("status") or "?")
        if chain.get("status") in ("failed", "skipped"):
            status += (
                f": {_reader_reason('cluster', {'status': chain['status'], 'reason': chain.get('reason')}, language)}"
            )
        parts = [status] + ([h["raw"].format(text=short(chain["reason"], 160))] if chain.get("reason") else [])
        rows.append(
            [cell(name)]
            + [cell(chain.get(k) or h["none"]) for k in ("kind", "node_image", "kubernetes")]
            + [
                "<br>".join(cell(p) for p in parts),
                cell(chain.get("at") or "?"),
                cell(chain.get("evidence") or h["none"]),
            ]
        )
    return table([h["chain"], "kind", h["node_image"], "Kubernetes", h["status"], h["at"], h["evidence"]], rows)
