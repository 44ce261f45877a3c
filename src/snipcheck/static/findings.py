"""One defect the static tier found in a snippet, and how several become one SnippetFailure."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import SnippetFailure


@dataclass
class Finding:
    line: int  # 1-based line in the snippet
    message: str  # what was expected, in one sentence
    command: str | None = None  # the tool command that showed it, when one did
    exit_code: int | None = None
    output: str | None = None  # that command's output, when it explains the finding

    @classmethod
    def from_tool(cls, line: int, message: str, result, output: str | None = None) -> Finding:
        """A finding a tool's run shows: its command, exit code and output (both streams unless given)."""
        return cls(
            line, message, result.command, result.exit_code, result.stdout + result.stderr if output is None else output
        )


def raise_if_any(findings: list[Finding], target: str, pages: list[str]) -> None:
    """Raise one SnippetFailure for all findings: the first one leads, every one is listed with file:line."""
    if not findings:
        return
    findings = sorted(findings, key=lambda f: f.line)
    first = findings[0]
    more = f" ({len(findings) - 1} more finding(s) below)" if len(findings) > 1 else ""
    # One finding is said once, in the first line; several are listed so each has its own file:line.
    details = ["findings:"] + [f"  {target}:{f.line}: {f.message}" for f in findings] if more else []
    raise SnippetFailure(
        location=f"{target}:{first.line}",
        tier="static",
        summary=first.message + more,
        pages=pages,
        command=first.command,
        exit_code=first.exit_code,
        stderr=first.output,
        details=details,
    )
