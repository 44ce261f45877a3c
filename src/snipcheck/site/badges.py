"""The badge under an embedded snippet: what was done with it, in the reader's words and the page's language.

Only fresh results count (made on the file as it is now). Of those, the badge names the furthest run that
passed: on a kind cluster, in page order (a walkthrough), on its own; else, when only the static check passed,
"not run" and why. A failure outranks every pass. Machine messages never appear here (see reasons.py).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from .reasons import failure_phrase, skip_sentence
from .words import RUN_TIERS, TIER_ORDER, date_of, words

ICONS = {
    "cluster": "✓",
    "ran": "✓",
    "alone": "✓",
    "lint": "–",
    "unchecked": "–",
    "failed": "✗",
    "changed": "!",
    "missing": "?",
}


@dataclass
class Verdict:
    kind: str  # cluster | ran | alone | lint | unchecked | failed | changed | missing
    text: str
    notes: list[str] = field(default_factory=list)


def kubernetes_of(chain: dict) -> str | None:
    """'1.36.1' from the chain's checked version, else from its pinned node image (kindest/node:v1.36.1@...)."""
    version = chain.get("kubernetes")
    if not version and isinstance(chain.get("node_image"), str) and ":v" in chain["node_image"]:
        version = chain["node_image"].split(":v", 1)[1].split("@", 1)[0]
    return version.removeprefix("v") if isinstance(version, str) and version else None


def cluster_facts(result: dict, chains: dict) -> list[str]:
    """['kind v0.x', 'Kubernetes 1.y'] for a cluster result: its environment first, then its chain."""
    env = result.get("environment") or {}
    chain = chains.get(env.get("chain")) if isinstance(env.get("chain"), str) else None
    if chain is None and len(chains) == 1:
        chain = next(iter(chains.values()))
    source = {**(chain or {}), **{k: v for k, v in env.items() if k in ("kind", "kubernetes", "node_image") and v}}
    kube = kubernetes_of(source)
    return [
        f for f in (f"kind {source['kind']}" if source.get("kind") else "", f"Kubernetes {kube}" if kube else "") if f
    ]


def python_of(version) -> str | None:
    """'3.11' of '3.11.2': the version a reader matches."""
    return ".".join(str(version).split(".")[:2]) if version else None


def walkthrough_facts(result: dict, report: dict) -> list[str]:
    env = result.get("environment") or {}
    os_name = env.get("os") or (report.get("machine") or {}).get("os_name")
    python = python_of(env.get("python"))
    return [date_of(result.get("at"))] + ([f"Python {python}"] if python else []) + ([os_name] if os_name else [])


def _ordered(tiers: dict) -> list[tuple[str, dict]]:
    known = [(name, tiers[name]) for name in TIER_ORDER if name in tiers]
    return known + [(name, t) for name, t in tiers.items() if name not in TIER_ORDER]


def verdict(entry: dict | None, current_sha: str | None, report: dict | None, language: str) -> Verdict:
    """What one snippet's badge says. report None means there is no report file at all."""
    w = words(language)
    if report is None:
        return Verdict("missing", w["no_report"])
    if not entry or not entry.get("tiers"):
        return Verdict("missing", w["not_in_report"])
    tiers = _ordered(entry["tiers"])
    fresh = [(n, t) for n, t in tiers if current_sha is None or t.get("sha256") == current_sha]
    stale = [(n, t) for n, t in tiers if (n, t) not in fresh]
    if not fresh:
        latest = max((t.get("at") or "" for _, t in tiers), default="")
        return Verdict("changed", w["changed"].format(date=date_of(latest)))
    result = fresh_verdict(dict(fresh), report, language)
    result.notes += [
        w["changed_tier"].format(tier=w["tier"].get(n, n)) for n, t in stale if t.get("status") in ("passed", "failed")
    ]
    return result


def fresh_verdict(tiers: dict, report: dict, language: str) -> Verdict:
    """The badge from the fresh results of one snippet: tier name -> result."""
    w = words(language)
    passed = {n for n, t in tiers.items() if t.get("status") == "passed"}
    failed = [n for n in TIER_ORDER if tiers.get(n, {}).get("status") == "failed"]
    if failed:
        name = failed[-1]
        return Verdict(
            "failed",
            w["failed"].format(
                date=date_of(tiers[name].get("at")),
                tier=w["tier"][name],
                reason=failure_phrase(name, tiers[name], language),
            ),
            [w["details"]],
        )
    if "cluster" in passed:
        facts = cluster_facts(tiers["cluster"], report.get("chains") or {}) + [date_of(tiers["cluster"].get("at"))]
        return Verdict("cluster", w["cluster"].format(facts=" · ".join(facts)))
    if "walkthrough" in passed:
        facts = walkthrough_facts(tiers["walkthrough"], report)
        return Verdict("ran", w["ran"].format(facts=" · ".join(facts)), _cluster_note(tiers, language))
    if "local" in passed:
        return Verdict(
            "alone", w["alone"].format(date=date_of(tiers["local"].get("at"))), _cluster_note(tiers, language)
        )
    why = why_not_run(tiers, language)
    if "static" in passed:
        return Verdict("lint", w["lint"].format(date=date_of(tiers["static"].get("at"))), [why] if why else [])
    static = tiers.get("static")
    reason = skip_sentence(static, language) if static else why or w["not_applicable"]
    return Verdict("unchecked", f"{w['unchecked']}: {reason}")


def _cluster_note(tiers: dict, language: str) -> list[str]:
    """A run here that the machine could not repeat on a cluster says so: the reader learns how far it went."""
    cluster = tiers.get("cluster") or {}
    if cluster.get("status") != "skipped":
        return []
    w = words(language)
    return [w["also_skipped"].format(tier=w["tier"]["cluster"], reason=skip_sentence(cluster, language))]


def why_not_run(tiers: dict, language: str) -> str | None:
    """Why no run tier passed: the machine's skip of the furthest tier that applies (where the snippet is meant
    to run), else the author's reason for the nearest tier that does not apply."""
    skipped = [n for n in RUN_TIERS if tiers.get(n, {}).get("status") == "skipped"]
    if skipped:
        return skip_sentence(tiers[skipped[-1]], language)
    absent = [n for n in RUN_TIERS if tiers.get(n, {}).get("status") == "not-applicable"]
    return skip_sentence(tiers[absent[0]], language) if absent else None


def badge_html(result: Verdict, language: str) -> str:
    """A small, accessible line: the words carry the meaning, the colour only repeats it.

    A span, not a div: Markdown wraps it in a paragraph both at the top level and inside an admonition or tab,
    where a div would end up inside a <p> (invalid HTML)."""
    label = html.escape(words(language)["label"])
    notes = "".join(f'<span class="snipcheck-note">{html.escape(n)}</span>' for n in result.notes)
    return (
        f'<span class="snipcheck-badge snipcheck-{result.kind}" role="note" aria-label="{label}">'
        f'<span class="snipcheck-icon" aria-hidden="true">{ICONS[result.kind]}</span> '
        f'<span class="snipcheck-text">{html.escape(result.text)}</span>{notes}</span>'
    )
