"""Commands the static tier finds in each real snippet (snippets/**/*.sh): the old line-based tokenizer
(shell_words.py, read from git history) beside the tree-sitter-bash parser (shell_parse.py). Prints a table.

    scripts/bench --only count-commands [REV]

REV is a commit that still holds src/snipcheck/static/shell_words.py (default: the newest one that does).
Columns: simple commands found and how many of them run kubectl (before, after), what the parser could not
read, and how many commands (line and words) only one of the two readers finds.
"""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OLD = "src/snipcheck/static/shell_words.py"


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout


def old_source(rev: str | None) -> str:
    """The old tokenizer's text: at REV, or just before the commit that removed it."""
    candidates = [rev] if rev else []
    if not rev:
        last = git("rev-list", "-1", "HEAD", "--", OLD).strip()
        candidates = [last, f"{last}^"] if last else ["HEAD"]
    for candidate in candidates:
        try:
            return git("show", f"{candidate}:{OLD}")
        except subprocess.CalledProcessError:
            continue
    sys.exit(f"count-commands: no commit among {candidates} holds {OLD}; name one as REV")


def load_old(rev: str | None) -> types.ModuleType:
    module = types.ModuleType("shell_words_before")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    exec(compile(old_source(rev), f"{OLD} (git)", "exec"), module.__dict__)
    return module


def main() -> None:
    try:
        from snipcheck.static import shell_parse
    except ImportError as exc:
        sys.exit(f"count-commands: {exc}; run it with scripts/bench --only count-commands")

    old = load_old(sys.argv[1] if len(sys.argv) > 1 else None)
    rows, totals = [], [0] * 6
    for path in sorted((ROOT / "snippets").rglob("*.sh")):
        source = path.read_text(encoding="utf-8")
        before, _ = old.commands(source, old.literal_values(source))
        after, errors = shell_parse.commands(source, shell_parse.literal_values(source))
        differ = len({(c.line, tuple(c.words)) for c in before} ^ {(c.line, tuple(c.words)) for c in after})
        counts = [
            len(before),
            sum(old.program(c.words) == "kubectl" for c in before),
            len(after),
            sum(shell_parse.program(c.words) == "kubectl" for c in after),
            len(errors),
            differ,
        ]
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
        rows.append((path.relative_to(ROOT / "snippets").as_posix(), *counts))
    rows.append(("total", *totals))
    header = ("snippet", "before", "kubectl", "after", "kubectl", "unreadable", "differ")
    width = max(len(r[0]) for r in rows)
    print(f"{header[0]:<{width}}  " + "  ".join(f"{h:>10}" for h in header[1:]))
    for name, *counts in rows:
        marker = "  *" if counts[0] != counts[2] or counts[1] != counts[3] or counts[5] else ""
        print(f"{name:<{width}}  " + "  ".join(f"{c:>10}" for c in counts) + marker)
    print("* the counts differ, or some commands (line and words) are found by one reader only (differ)")


if __name__ == "__main__":
    main()
