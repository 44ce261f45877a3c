"""The static tier: what can be checked of a snippet without running it (lint, kubectl contract, pins)."""

from __future__ import annotations

from .. import needs, runtimes, sandbox
from . import kubectl_contract, lint_python, lint_shell, lint_yaml, pins, shell_parse
from .findings import Finding, raise_if_any


def run(snippet, tier, ctx) -> dict | None:
    """Check one snippet by its language; raise SnippetFailure listing every finding, else say what was checked."""
    if snippet.lang == "text":
        return {"checked": "nothing (plain text)"}
    target = ctx.layout.snippet_target(snippet.id)
    try:
        source = snippet.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise_if_any([Finding(1, f"the snippet must be readable UTF-8 text ({exc})")], target, ctx.pages_of(snippet))
    box = sandbox.create([])
    try:
        findings, environment = CHECKS[snippet.lang](snippet, tier, ctx, source, box)
    finally:
        box.remove()
    raise_if_any(findings, target, ctx.pages_of(snippet))
    return environment


def _run_tiers(snippet):
    return [t for name, t in snippet.tiers.items() if name != "static" and t.applies]


def _shell(snippet, tier, ctx, source, box):
    values = {k: v for t in _run_tiers(snippet) for k, v in t.env.items()}
    provided = set(values)
    findings = lint_shell.check(snippet.path, source, ctx.venvs, box.workdir, box.env(), provided)
    if any("bash -n" in f.message for f in findings):
        return findings, {"bash": "syntax error"}
    # A construct the parser cannot read hides its commands from the checks below: a finding of its own.
    findings += shell_parse.findings(source)
    contract, count = kubectl_contract.check(source, ctx.venvs, snippet.path.parent, values)
    findings += contract + pins.check_shell(source)
    environment = {"shellcheck": lint_shell.version(ctx.venvs, "shellcheck"), "kubectl_invocations": count}
    if count:
        environment["kubectl"] = lint_shell.version(ctx.venvs, "kubectl")
    return findings, environment


def _python(snippet, tier, ctx, source, box):
    target = ctx.layout.snippet_target(snippet.id)
    tree, findings = lint_python.parse(source, target)
    if tree is None:
        return findings, {"python": "syntax error"}
    findings += pins.check_python(source, tree)
    named = [tier.runtime] + [t.runtime for t in _run_tiers(snippet)]
    runtime = next((r for r in named if r in runtimes.SDK_RUNTIMES), None)
    environment = {"compiles": True}
    if runtime:
        try:
            runtimes.ensure(ctx, runtime)
        except runtimes.NotMade as exc:
            return findings + [Finding(1, str(exc))], environment
        api, checked = lint_python.check_api(tree, ctx.python_of(runtime), runtime, box.workdir, box.env())
        findings += api
        environment.update(checked, runtime=runtime)
    elif lint_python.kfp_references(tree):
        environment["kfp_api"] = "not checked: no local or cluster tier names a kfp runtime"
    return findings, environment


def _yaml(snippet, tier, ctx, source, box):
    findings = lint_yaml.check(snippet.path, source, tier.schema, ctx.venvs, box.workdir, box.env())
    return findings, {"yaml": "parsed", **({"schema": tier.schema} if tier.schema else {})}


CHECKS = {"bash": _shell, "python": _python, "yaml": _yaml}


def skip_reason(ctx, snippet, tier) -> str | None:
    """Why this item cannot run here (a missing need), or None. Writes nothing."""
    return needs.missing(tier.needs)


def finish(ctx, done, following) -> None:
    """Nothing outlives one item of this tier."""
