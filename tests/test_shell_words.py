"""Reading shell snippets: continuations, here-documents, `$(...)`, pipes and prefixes give the right commands."""
from __future__ import annotations

from snipcheck.static import shell_words


def words_of(source: str) -> list[tuple[int, list[str]]]:
    found, errors = shell_words.commands(source)
    assert not errors
    return [(c.line, c.words) for c in found]


def test_continuation_lines_join_and_keep_the_first_line():
    assert words_of("echo a\nkubectl get pods \\\n  -n kubeflow\n") == [
        (1, ["echo", "a"]), (2, ["kubectl", "get", "pods", "-n", "kubeflow"])]


def test_pipes_lists_loops_prefixes_and_redirections_split_into_simple_commands():
    source = ("while ! A=1 kubectl get ns x 2>&1 | grep -q x; do sleep 1; done "
              "&& timeout 5 kubectl version >/dev/null &\n")
    assert [w for _, w in words_of(source)] == [
        ["kubectl", "get", "ns", "x"], ["grep", "-q", "x"], ["sleep", "1"], ["kubectl", "version"]]


def test_command_substitutions_are_read_as_commands_of_their_own():
    # The assignment around it runs no command; the two inside it are found.
    assert [w for _, w in words_of('pod="$(kubectl get pods -o name | head -n 1)"\n')] == [
        ["kubectl", "get", "pods", "-o", "name"], ["head", "-n", "1"]]


def test_here_document_bodies_are_not_commands_and_reach_their_command():
    found, _ = shell_words.commands("kubectl apply -f - <<EOF\nkind: Namespace\nEOF\necho done\n")
    assert [(c.line, c.words[0]) for c in found] == [(1, "kubectl"), (4, "echo")]
    assert found[0].stdin == "kind: Namespace\n"


def test_variables_take_literal_values_or_a_placeholder():
    source = 'NS=kubeflow\nkubectl -n "${NS}" get pod "$POD"\n'
    values = shell_words.literal_values(source)
    found, _ = shell_words.commands(source, values)
    assert found[-1].words == ["kubectl", "-n", "kubeflow", "get", "pod", "placeholder"]


def test_comments_hold_no_commands():
    assert words_of("# kubectl gett pods\necho hi  # kubectl gett\n") == [(2, ["echo", "hi"])]
