"""The badge under an embedded snippet: what the report says about it, in the page's language."""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from .report_view import reason_in
from .words import TIER_ORDER, date_of, short, words

ICONS = {"passed": "✓", "failed": "✗", "unverified": "–", "changed": "!", "missing": "?"}


@dataclass
class Verdict:
    kind: str                      # passed | failed | unverified | changed | missing
    text: str
    notes: list[str] = field(default_factory=list)


def chain_versions(tier: dict, chains: dict) -> str:
    """'kind v0.x, Kubernetes v1.y' for a cluster result: from its chain in report['chains'], or its environment."""
    env = tier.get("environment") or {}
    chain = chains.get(env.get("chain")) if isinstance(env.get("chain"), str) else None
    if chain is None and len(chains) == 1:
        chain = next(iter(chains.values()))
    source = {**(chain or {}), **{k: v for k, v in env.items() if k in ("kind", "kubernetes")}}
    parts = [f"kind {source['kind']}" if source.get("kind") else "",
             f"Kubernetes {source['kubernetes']}" if source.get("kubernetes") else ""]
    return ", ".join(p for p in parts if p)


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
    result = _fresh_verdict(fresh, report.get("chains") or {}, language)
    result.notes += [w["changed_tier"].format(tier=w["tier"].get(n, n)) for n, t in stale
                     if t.get("status") in ("passed", "failed")]
    return result


def _fresh_verdict(tiers: list[tuple[str, dict]], chains: dict, language: str) -> Verdict:
    w = words(language)
    name_of = w["tier"]
    failed = [(n, t) for n, t in tiers if t.get("status") == "failed"]
    if failed:
        name, tier = failed[-1]
        return Verdict("failed", w["failed"].format(date=date_of(tier.get("at")), tier=name_of.get(name, name),
                                                     reason=short(reason_in(tier, language), language)))
    passed = [(i, n, t) for i, (n, t) in enumerate(tiers) if t.get("status") == "passed"]
    if not passed:
        name, tier = next(((n, t) for n, t in reversed(tiers) if t.get("status") == "skipped"), tiers[-1])
        return Verdict("unverified", w["not_verified"].format(reason=short(reason_in(tier, language), language)))
    index, name, tier = passed[-1]
    date = date_of(tier.get("at"))
    if name == "cluster" and chain_versions(tier, chains):
        date = f"{date}, {chain_versions(tier, chains)}"
    result = Verdict("passed", w["verified"].format(tier=name_of.get(name, name), date=date))
    # A skipped higher tier is worth a word: the reader learns how far this machine could not go.
    result.notes = [w["higher_skipped"].format(tier=name_of.get(n, n),
                                               reason=short(reason_in(t, language), language, 90))
                    for n, t in tiers[index + 1:] if t.get("status") == "skipped"]
    return result


def badge_html(result: Verdict, language: str) -> str:
    """A small, accessible line: the words carry the meaning, the colour only repeats it.

    A span, not a div: Markdown wraps it in a paragraph both at the top level and inside an admonition or tab,
    where a div would end up inside a <p> (invalid HTML)."""
    label = html.escape(words(language)["label"])
    notes = "".join(f'<span class="snipcheck-note">{html.escape(n)}</span>' for n in result.notes)
    return (f'<span class="snipcheck-badge snipcheck-{result.kind}" role="note" aria-label="{label}">'
            f'<span class="snipcheck-icon" aria-hidden="true">{ICONS[result.kind]}</span> '
            f'<span class="snipcheck-text">{html.escape(result.text)}</span>{notes}</span>')
