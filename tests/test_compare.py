"""The expectation verbs: each can fail, and says what it expected beside what it received."""

from __future__ import annotations

import pytest

from snipcheck import compare
from snipcheck.manifest import Expect, FileExpect, Matcher

# --- "..." elision ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expected, received, matches",
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "c"], False),
        (["a", "...", "d"], ["a", "b", "c", "d"], True),
        (["a", "...", "d"], ["a", "d"], True),  # an elision may stand for no lines
        (["...", "d"], ["x", "y", "d"], True),
        (["a", "..."], ["a", "y", "z"], True),
        (["a", "...", "d"], ["a", "b", "c"], False),
        (["a", "...", "b", "...", "c"], ["a", "x", "b", "y", "c"], True),
        (["a", "...", "b", "...", "c"], ["a", "x", "c", "y", "b"], False),
        (["a"], ["a", "b"], False),  # nothing elided at the end unless said so
        (["..."], [], True),
    ],
)
def test_output_matches_with_elision(expected, received, matches):
    assert compare.output_matches(expected, received) is matches


def test_trailing_whitespace_and_blank_lines_are_ignored():
    assert compare.normalized_lines("a  \nb\t\n\n\n") == ["a", "b"]


def test_output_file_mismatch_is_a_unified_diff(tmp_path):
    path = tmp_path / "pods.out"
    path.write_text("NAME\n...\nml-pipeline 1/1 Running\n")
    assert compare.output_file(path, "snippets/g/pods.out", "NAME\nx\nml-pipeline 1/1 Running   \n") is None
    mismatch = compare.output_file(path, "snippets/g/pods.out", "NAME\nml-pipeline 0/1 Pending\n")
    assert mismatch.summary == "stdout does not match the expected output in snippets/g/pods.out"
    assert "  --- snippets/g/pods.out (expected)" in mismatch.details
    assert "  -ml-pipeline 1/1 Running" in mismatch.details
    assert "  +ml-pipeline 0/1 Pending" in mismatch.details


# --- refreshing an expected file -------------------------------------------------------------------------


def test_refresh_keeps_an_elision_whose_bounds_are_unique():
    text, note = compare.refreshed_output("head\n...\ntail old\n", "head\n1\n2\ntail old\nextra\n")
    assert note is None and text == "head\n...\ntail old\nextra\n"


def test_refresh_keeps_leading_and_trailing_elisions():
    text, note = compare.refreshed_output("...\nmid\n...\n", "a\nmid\nb\nnew\n")
    assert note is None and text == "...\nmid\n...\n"


def test_refresh_replaces_an_elision_whose_bound_repeats():
    text, note = compare.refreshed_output("x\n...\ny\n", "x\n1\nx\ny\n")
    assert text == "x\n1\nx\ny\n" and "could not be kept safely" in note


def test_refresh_without_elisions_is_the_stdout():
    assert compare.refreshed_output("old\n", "new  \n\n") == ("new\n", None)


# --- exit code and matchers ------------------------------------------------------------------------------


def test_exit_code():
    assert compare.exit_code(0, 0) is None
    mismatch = compare.exit_code(0, 2)
    assert mismatch.summary == "exited with code 2, expected 0"
    assert mismatch.details == ["expected exit code: 0", "received exit code: 2"]


@pytest.mark.parametrize(
    "verb, text, summary",
    [
        ("contains", "Running", "stdout does not contain 'Running'"),
        ("not_contains", "Error", "stdout contains 'Error', which it must not"),
        ("regex", r"^pod/\S+ condition met$", r"stdout has no match for the regex '^pod/\\S+ condition met$'"),
    ],
)
def test_each_matcher_can_fail(verb, text, summary):
    output = "pod-1 Pending\nError: timed out\n"
    [mismatch] = compare.matchers("stdout", [Matcher(verb, text, 7)], output)
    assert mismatch.summary == summary
    assert "(checks.yaml line 7)" in mismatch.details[0]


def test_matchers_that_hold_say_nothing():
    checks = [Matcher("contains", "ready", 1), Matcher("not_contains", "Error", 2), Matcher("regex", "^ok$", 3)]
    assert compare.matchers("stderr", checks, "all ready\nok\n") == []


def test_not_contains_quotes_the_offending_line():
    [mismatch] = compare.matchers("stderr", [Matcher("not_contains", "error", 1)], "fine\nan error here\n")
    assert mismatch.details[1] == "received: 1 line(s) with it, first: 'an error here'"


# --- produced files and YAML paths ----------------------------------------------------------------------

WORKFLOW = """apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  templates:
    - name: add
    - name: add-pipeline
"""


def test_yaml_star_maps_over_a_list():
    data = {"spec": {"templates": [{"name": "a"}, {"name": "b"}]}}
    assert compare.yaml_values(data, "spec.templates.*.name") == ["a", "b"]
    assert compare.yaml_values(data, "spec.templates.1.name") == ["b"]
    assert compare.yaml_values({"tasks": {"t1": {"n": 1}, "t2": {"n": 2}}}, "tasks.*.n") == [1, 2]


def test_yaml_missing_key_names_what_is_there():
    assert "no key 'spec'" in compare._yaml_check([{"kind": "Workflow"}], "spec.templates", "x")
    assert "(it has: kind)" in compare._yaml_check([{"kind": "Workflow"}], "spec.templates", "x")


def test_produced_file_passes(tmp_path):
    (tmp_path / "p.yaml").write_text(WORKFLOW)
    values = {"kind": "Workflow", "spec.templates.*.name": ["add", "add-pipeline"]}
    check = FileExpect("p.yaml", ("argoproj.io",), values)
    assert compare.produced_file(tmp_path, check) == []


def test_produced_file_missing(tmp_path):
    (tmp_path / "other.yaml").write_text("")
    [mismatch] = compare.produced_file(tmp_path, FileExpect("p.yaml", line=4))
    assert mismatch.summary == "the snippet did not produce p.yaml"
    assert mismatch.details[1] == "received: files there: other.yaml"


def test_produced_file_without_a_text(tmp_path):
    (tmp_path / "p.yaml").write_text(WORKFLOW)
    [mismatch] = compare.produced_file(tmp_path, FileExpect("p.yaml", ("pipelines.kubeflow.org/v2",)))
    assert mismatch.summary == "p.yaml does not contain 'pipelines.kubeflow.org/v2'"


def test_produced_file_wrong_yaml_values(tmp_path):
    (tmp_path / "p.yaml").write_text(WORKFLOW)
    check = FileExpect("p.yaml", yaml={"kind": "PipelineSpec", "spec.templates.*.name": "train"}, line=9)
    first, second = compare.produced_file(tmp_path, check)
    assert first.details == ["expected kind is 'PipelineSpec'; received 'Workflow' (checks.yaml line 9)"]
    assert second.details == [
        "expected spec.templates.*.name includes 'train'; received ['add', 'add-pipeline'] (checks.yaml line 9)"
    ]


def test_produced_file_that_is_not_yaml(tmp_path):
    (tmp_path / "p.yaml").write_text("kind: [unclosed\n")
    [mismatch] = compare.produced_file(tmp_path, FileExpect("p.yaml", yaml={"kind": "Workflow"}))
    assert mismatch.summary == "p.yaml is not valid YAML"
    assert mismatch.details[0].startswith("received: p.yaml:")


def test_multi_document_yaml_is_searched_in_every_document(tmp_path):
    (tmp_path / "p.yaml").write_text("kind: PipelineSpec\n---\nplatforms: {kubernetes: {}}\n")
    assert compare.produced_file(tmp_path, FileExpect("p.yaml", yaml={"kind": "PipelineSpec"})) == []


# --- a whole expect block ------------------------------------------------------------------------------


def test_a_wrong_exit_code_hides_the_later_checks(tmp_path):
    expect = Expect(exit=0, stdout=(Matcher("contains", "never", 1),), files=(FileExpect("none.yaml"),))
    [mismatch] = compare.expectations(expect, exit_code_received=1, stdout="", stderr="", workdir=tmp_path)
    assert mismatch.summary == "exited with code 1, expected 0"


def test_every_other_mismatch_is_listed(tmp_path):
    expect = Expect(
        exit=0,
        stdout=(Matcher("contains", "never", 1),),
        stderr=(Matcher("regex", "^x", 2),),
        files=(FileExpect("none.yaml"),),
    )
    found = compare.expectations(expect, exit_code_received=0, stdout="", stderr="", workdir=tmp_path)
    assert [m.summary for m in found] == [
        "stdout does not contain 'never'",
        "stderr has no match for the regex '^x'",
        "the snippet did not produce none.yaml",
    ]
