"""Reading shell snippets with tree-sitter-bash: every simple command, in every construct, at its line.

The golden file tests/fixtures/shell_parse/golden.json holds the commands found in every real snippet
(snippets/**/*.sh): snippet id -> [[line, program, word, ...], ...]. The test only compares. After a
deliberate change to a snippet or to the parser, refresh it and review the diff:

    .venvs/tools/bin/python tests/test_shell_parse.py --refresh
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

import pytest

from snipcheck.static import shell_parse

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests/fixtures/shell_parse/golden.json"


def words_of(source: str) -> list[tuple[int, list[str]]]:
    found, errors = shell_parse.commands(source)
    assert not errors
    return [(c.line, c.words) for c in found]


def test_continuation_lines_keep_the_first_line():
    assert words_of("echo a\nkubectl get pods \\\n  -n kubeflow\n") == [
        (1, ["echo", "a"]),
        (2, ["kubectl", "get", "pods", "-n", "kubeflow"]),
    ]


def test_pipes_lists_loops_prefixes_and_redirections_split_into_simple_commands():
    source = (
        "while ! A=1 kubectl get ns x 2>&1 | grep -q x; do sleep 1; done && timeout 5 kubectl version >/dev/null &\n"
    )
    assert [w for _, w in words_of(source)] == [
        ["kubectl", "get", "ns", "x"],
        ["grep", "-q", "x"],
        ["sleep", "1"],
        ["kubectl", "version"],
    ]


@pytest.mark.parametrize(
    "source, line",
    [
        ("f() { kubectl gett pods; }\n", 1),
        ("function f {\n  kubectl gett pods\n}\n", 2),
        ('for ns in a b; do\n  kubectl gett pods -n "$ns"\ndone\n', 2),
        ("while true; do kubectl gett pods; done\n", 1),
        ("until false; do kubectl gett pods; done\n", 1),
        ("if true; then\n  :\nelif false; then\n  kubectl gett pods\nfi\n", 4),
        ("case x in\n  x) kubectl gett pods ;;\nesac\n", 2),
        ("(cd /tmp && kubectl gett pods)\n", 1),
        ("{ kubectl gett pods; } >/dev/null\n", 1),
        ('echo "$(kubectl gett pods)"\n', 1),
        ("echo `kubectl gett pods`\n", 1),
        ("diff <(kubectl gett pods) /dev/null\n", 1),
        ("true || kubectl gett pods\n", 1),
        ("echo a | kubectl gett pods | wc -l\n", 1),
        ("! kubectl gett pods\n", 1),
    ],
)
def test_a_command_is_found_in_every_construct(source, line):
    found = [(n, w) for n, w in words_of(source) if w[0] == "kubectl"]
    assert found == [(line, ["kubectl", "gett", "pods"] + (["-n", "placeholder"] if "$ns" in source else []))]


def test_wrappers_and_assignments_are_dropped():
    source = (
        "env -u X A=1 timeout -s KILL 5 kubectl get a\nsudo -E nohup kubectl get b\nexec kubectl get c\n"
        "X=1 command kubectl get d\ncommand -v kubectl\n"
    )
    assert [w for _, w in words_of(source)] == [
        ["kubectl", "get", "a"],
        ["kubectl", "get", "b"],
        ["kubectl", "get", "c"],
        ["kubectl", "get", "d"],
        ["command", "-v", "kubectl"],
    ]


def test_here_document_bodies_are_not_commands_and_reach_their_command():
    found, _ = shell_parse.commands("kubectl apply -f - <<EOF\nkind: Namespace\nEOF\necho done\n")
    assert [(c.line, c.words) for c in found] == [(1, ["kubectl", "apply", "-f", "-"]), (4, ["echo", "done"])]
    assert found[0].stdin == "kind: Namespace\n"


def test_a_here_document_reaches_the_pipeline_it_starts_and_dash_strips_tabs():
    found, _ = shell_parse.commands("cat <<-EOF | kubectl apply -f -\n\tkind: Namespace\n\tEOF\n")
    assert [(c.words, c.stdin) for c in found] == [
        (["cat"], "kind: Namespace\n"),
        (["kubectl", "apply", "-f", "-"], "kind: Namespace\n"),
    ]


def test_variables_take_literal_values_or_a_placeholder():
    source = 'NS=kubeflow\nexport TAG="v1.${NS}"\nkubectl -n "${NS}" get pod "$POD" "$TAG" \'$NS\'\n'
    values = shell_parse.literal_values(source)
    assert values == {"NS": "kubeflow", "TAG": "v1.kubeflow"}
    found, _ = shell_parse.commands(source, values)
    assert found[-1].words == ["kubectl", "-n", "kubeflow", "get", "pod", "placeholder", "v1.kubeflow", "$NS"]
    kept, _ = shell_parse.commands(source, values, placeholder=None)
    assert kept[-1].words[5] == "$POD"


def test_quoting_is_removed_as_bash_removes_it():
    # tree-sitter-bash puts the blanks before `${A}` into the expansion's node: they must stay in the word.
    source = 'A=x\ngrep "  ${A}\\$" f\\ g $\'a\\tb\' "$(date)"x\n'
    found, _ = shell_parse.commands(source, shell_parse.literal_values(source))
    assert found[0].words == ["grep", "  x$", "f g", "a\tb", "placeholderx"]


def test_comments_hold_no_commands():
    assert words_of("# kubectl gett pods\necho hi  # kubectl gett\n") == [(2, ["echo", "hi"])]


@pytest.mark.parametrize(
    "source, line",
    [
        ("cat <<'EOF' >/dev/null; kubectl gett pods\nhi\nEOF\n", 1),  # tree-sitter-bash misreads this
        ("echo ok\nexec 3<>/dev/null\n", 2),
        ("echo ok\nif true; then\n  echo x\n", 3),
    ],
)
def test_what_the_parser_cannot_read_is_an_error_with_its_line(source, line):
    _, errors = shell_parse.commands(source)
    assert errors and errors[0][0] == line, errors
    assert "tree-sitter-bash" in errors[0][1]


def golden_commands() -> dict[str, list[list]]:
    """The commands of every real snippet, as the static tier reads them."""
    result = {}
    for path in sorted((ROOT / "snippets").rglob("*.sh")):
        source = path.read_text(encoding="utf-8")
        found, errors = shell_parse.commands(source, shell_parse.literal_values(source))
        rows = [[c.line, shell_parse.program(c.words), *c.words] for c in found]
        rows += [[line, "PARSE ERROR", message] for line, message in errors]
        result[path.relative_to(ROOT / "snippets").as_posix()] = rows
    return result


def render(commands: dict) -> list[str]:
    return [
        f"{snippet}: {json.dumps(row, ensure_ascii=False)}" if row else f"{snippet}: (no commands)"
        for snippet, rows in commands.items()
        for row in (rows or [None])
    ]


def test_the_parser_finds_exactly_the_commands_of_every_real_snippet():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = golden_commands()
    if actual != expected:
        diff = "\n".join(
            difflib.unified_diff(render(expected), render(actual), "golden.json", "parsed now", lineterm="")
        )
        pytest.fail(
            f"the commands found in snippets/ differ from {GOLDEN.relative_to(ROOT)}:\n{diff}\n"
            "If the change is intended: .venvs/tools/bin/python tests/test_shell_parse.py --refresh",
            pytrace=False,
        )


if __name__ == "__main__":
    if sys.argv[1:] != ["--refresh"]:
        sys.exit("usage: tests/test_shell_parse.py --refresh   (rewrites the golden file from snippets/)")
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    # One command a line, so a review of the refreshed file reads like the diff the test prints.
    blocks = [
        f"{json.dumps(snippet)}: ["
        + ",".join(f"\n  {json.dumps(row, ensure_ascii=False)}" for row in rows)
        + ("\n ]" if rows else "]")
        for snippet, rows in golden_commands().items()
    ]
    GOLDEN.write_text("{\n " + ",\n ".join(blocks) + "\n}\n", encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
