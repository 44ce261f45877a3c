"""The offline kubectl contract: nothing is fetched, and kubectl's answers are sorted the right way."""

from __future__ import annotations

from pathlib import Path

from snipcheck.runner import RunResult
from snipcheck.static import kubectl_contract


def test_remote_and_piped_inputs_become_local_stand_ins(tmp_path: Path):
    kubectl_contract._stand_ins(tmp_path)
    (tmp_path / "kept.yaml").write_text("kind: Namespace\n")
    args = kubectl_contract.rewrite(
        [
            "kubectl",
            "apply",
            "-k",
            "github.com/kubeflow/manifests/example?ref=v1.9.0",
            "-f",
            "https://example.org/x.yaml",
            "--filename=kept.yaml",
            "-f",
            "-",
            "-f",
            "written-later.yaml",
        ],
        tmp_path,
        heredoc=None,
    )
    stand_in, kustomization = str(tmp_path / ".snipcheck-stand-in.yaml"), str(tmp_path / ".snipcheck-kustomization")
    assert args == [
        "apply",
        "-k",
        kustomization,
        "-f",
        stand_in,
        "--filename",
        "kept.yaml",
        "-f",
        stand_in,
        "-f",
        stand_in,
    ]
    assert not any("://" in a or "github.com" in a for a in args)


def test_a_here_document_is_what_apply_reads(tmp_path: Path):
    kubectl_contract._stand_ins(tmp_path)
    args = kubectl_contract.rewrite(["kubectl", "apply", "-f", "-"], tmp_path, heredoc="kind: Namespace\n", line=3)
    assert Path(args[-1]).read_text() == "kind: Namespace\n"


def test_request_timeout_goes_after_the_subcommand_and_before_a_double_dash():
    assert kubectl_contract._with_request_timeout(["exec", "p", "--", "ls"]) == [
        "exec",
        "p",
        "--request-timeout=2s",
        "--",
        "ls",
    ]


def result(code: int, stderr: str, timed_out: bool = False) -> RunResult:
    return RunResult(["kubectl"], code, "", stderr, 0.1, timed_out)


def test_connection_errors_pass_usage_errors_and_others_fail():
    refused = "The connection to the server 127.0.0.1:9 was refused - did you specify the right host or port?"
    assert kubectl_contract.classify(result(1, refused)) is None
    assert kubectl_contract.classify(result(1, 'error: no context exists with the name: "kind-kind"')) is None
    assert "rejects this command line" in kubectl_contract.classify(result(1, "error: unknown flag: --namspace"))
    assert "another reason" in kubectl_contract.classify(result(1, 'error: the path "x" does not exist'))
    assert "did not finish" in kubectl_contract.classify(result(-9, "", timed_out=True))
