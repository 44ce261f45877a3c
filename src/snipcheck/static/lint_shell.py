"""Shell snippets: `bash -n`, shellcheck, and every shellcheck directive carries its reason."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from pathlib import Path

from .. import runner
from .findings import Finding

# The repository's one shellcheck configuration (the shell, the optional checks such as
# check-unassigned-uppercase, external sources), shared with the pre-commit hook. Named with --rcfile
# because a snippet may lie outside the repository (a fixture in a temporary folder), where shellcheck's
# own search for the file would not find it.
RCFILE = Path(__file__).resolve().parents[3] / ".shellcheckrc"
# What any reader's new login shell has, so using it unset is not a defect. Nothing only the harness gives
# (KUBECONFIG, KIND_CLUSTER_NAME, CI): a step that needs it would pass only in a context the harness made.
PROVIDED = {
    "HOME",
    "PATH",
    "USER",
    "PWD",
    "OLDPWD",
    "SHELL",
    "TMPDIR",
    "LANG",
    "TERM",
    "HOSTNAME",
    "DOCKER_HOST",
}
UNASSIGNED = 2154
DIRECTIVE = re.compile(r"#\s*shellcheck\s+(?P<body>[^#]*?)\s*(?:#\s*(?P<reason>.*))?$")
TIMEOUT = 30


def tool(venvs: Path, name: str) -> str:
    """A tool of the tools environment, else the one on PATH."""
    candidate = venvs / "tools" / "bin" / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


def bash_syntax(path: Path, cwd: Path, env: dict) -> list[Finding]:
    result = runner.run(["bash", "-n", str(path)], cwd=cwd, env=env, timeout=TIMEOUT)
    if result.exit_code == 0:
        return []
    lines = [int(n) for n in re.findall(r"line (\d+):", result.stderr)] or [1]
    return [
        Finding.from_tool(
            lines[0], "the snippet must be valid bash (bash -n reports a syntax error)", result, output=result.stderr
        )
    ]


@functools.cache
def version(venvs: Path, name: str) -> str:
    """The version a tool reports (shellcheck, kubectl), asked once per session."""
    argv = [tool(venvs, name), "version", "--client"] if name == "kubectl" else [tool(venvs, name), "--version"]
    result = runner.run(argv, cwd=venvs, env={"PATH": os.environ.get("PATH", os.defpath)}, timeout=TIMEOUT)
    match = re.search(r"(?:version: |Client Version: v)(\S+)", result.stdout)
    return match.group(1) if match else "unknown"


def shellcheck(path: Path, venvs: Path, cwd: Path, env: dict, provided: set[str]) -> list[Finding]:
    argv = [tool(venvs, "shellcheck"), f"--rcfile={RCFILE}", "--format=json1"]
    result = runner.run(argv + [str(path)], cwd=cwd, env=env, timeout=TIMEOUT)
    if result.exit_code not in (0, 1):
        return [
            Finding.from_tool(
                1, "shellcheck must be able to read the snippet", result, output=result.stderr or result.stdout
            )
        ]
    try:
        comments = json.loads(result.stdout)["comments"]
    except (json.JSONDecodeError, KeyError, TypeError):
        return [Finding.from_tool(1, "shellcheck gave no readable report", result)]
    findings = []
    for comment in comments:
        if comment["code"] == UNASSIGNED and comment["message"].split(" ", 1)[0] in provided:
            continue
        findings.append(
            Finding(
                comment["line"],
                f"shellcheck SC{comment['code']} ({comment['level']}): "
                f"{comment['message']} (fix it, or disable it on that line with a reason: "
                f"# shellcheck disable=SC{comment['code']}  # why)",
                result.command,
            )
        )
    return findings


def directives_without_reason(source: str) -> list[Finding]:
    """A `# shellcheck disable=...` must say why, after a second `#` on the same line."""
    findings = []
    for number, row in enumerate(source.splitlines(), start=1):
        match = DIRECTIVE.search(row)
        if not match or "disable=" not in match.group("body"):
            continue
        if not (match.group("reason") or "").strip():
            findings.append(
                Finding(
                    number,
                    f"the directive '{match.group(0).strip()}' must give its reason "
                    "on the same line: # shellcheck disable=SCxxxx  # why it is wanted",
                )
            )
    return findings


def check(path: Path, source: str, venvs: Path, cwd: Path, env: dict, provided: set[str]) -> list[Finding]:
    """Every shell finding of one snippet; shellcheck only once bash can parse it."""
    findings = bash_syntax(path, cwd, env)
    findings += directives_without_reason(source)
    if not any("bash -n" in f.message for f in findings):
        findings += shellcheck(path, venvs, cwd, env, PROVIDED | provided)
    return findings
