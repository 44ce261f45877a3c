"""The GitHub workflows: they parse, match GitHub's workflow schema, their shell passes shellcheck, and the
cluster and Pages workflows agree with the engine (matrix keys, the large-runner variable, artifact names).

Each check is also shown failing on a broken workflow under tests/fixtures/workflows/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from snipcheck import cluster_matrix, needs

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BROKEN = HERE / "fixtures" / "workflows"
EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.DOTALL)
MATRIX_KEY = re.compile(r"\bmatrix\.([A-Za-z_][\w-]*)")


def _tool(name: str) -> str:
    """A program of the tools environment (beside this Python), else one on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not in the tools environment nor on PATH"
    return found


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def yaml_problem(path: Path) -> str | None:
    try:
        yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return f"{_rel(path)}:{mark.line + 1 if mark else '?'}: not valid YAML: {getattr(exc, 'problem', exc)}"
    return None


def schema_problems(paths: list[Path]) -> tuple[int, str]:
    done = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def run_blocks(path: Path) -> list[tuple[int, str]]:
    """(first line of the script in the file, the script) for every `run:` of the workflow."""
    found: list[tuple[int, str]] = []

    def walk(node) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "run" and isinstance(value, yaml.ScalarNode):
                    block = value.style in ("|", ">")  # the script starts on the line after `run: |`
                    found.append((value.start_mark.line + 1 + block, value.value))
                else:
                    walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    walk(yaml.compose(path.read_text(encoding="utf-8")))
    return found


def shell_findings(path: Path) -> list[str]:
    """shellcheck's findings in the workflow's `run:` scripts, each at its line of the workflow file.
    An expression (${{ … }}) is replaced by a plain word first: GitHub fills it in before bash runs."""
    findings = []
    for first, script in run_blocks(path):
        done = subprocess.run(
            [_tool("shellcheck"), "--norc", "--shell=bash", "--format=gcc", "-"],
            input=EXPRESSION.sub("EXPRESSION", script),
            capture_output=True,
            text=True,
            timeout=60,
        )
        for row in done.stdout.splitlines():
            _, line, _, message = row.split(":", 3)
            findings.append(f"{_rel(path)}:{first + int(line) - 1}:{message}")
    return findings


def unknown_matrix_keys(path: Path, keys: set[str]) -> list[str]:
    found = []
    for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for key in MATRIX_KEY.findall(row):
            if key not in keys:
                found.append(
                    f"{_rel(path)}:{number}: matrix.{key} is not a key of the matrix ({', '.join(sorted(keys))})"
                )
    return found


def _matrix_keys() -> set[str]:
    entries, _ = cluster_matrix.plan(REPO)
    return set(entries[0])


def _jobs(name: str) -> dict:
    return yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))["jobs"]


# --- the real workflows -----------------------------------------------------------------------------


def test_the_workflows_parse_and_are_valid_github_workflows():
    assert WORKFLOWS, "no workflow under .github/workflows"
    assert [problem for path in WORKFLOWS if (problem := yaml_problem(path))] == []
    code, output = schema_problems(WORKFLOWS)
    assert code == 0, output


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_the_shell_of_every_workflow_passes_shellcheck(path):
    assert shell_findings(path) == []


def test_the_cluster_workflow_reads_only_keys_the_matrix_has():
    assert unknown_matrix_keys(REPO / ".github" / "workflows" / "cluster.yml", _matrix_keys()) == []


def test_the_cluster_workflow_runs_one_job_per_chain_from_the_manifests():
    jobs = _jobs("cluster.yml")
    assert "snipcheck.cluster_matrix" in str(jobs["plan"]["steps"])
    chain = jobs["chain"]
    assert chain["strategy"]["fail-fast"] is False
    assert chain["strategy"]["matrix"] == {"include": "${{ fromJSON(needs.plan.outputs.matrix) }}"}
    assert "vars.KUBEFLOW_FULL_RUNNER" in chain["runs-on"]
    # The variable the engine reads to skip a large chain with the reason is the one the job sets.
    assert "vars.KUBEFLOW_FULL_RUNNER" in chain["env"][needs.NO_LARGE_RUNNER]


def test_the_pages_workflow_merges_every_report_the_chain_jobs_upload():
    uploads = [
        s["with"]["name"] for s in _jobs("cluster.yml")["chain"]["steps"] if "upload-artifact" in s.get("uses", "")
    ]
    assert "cluster-report-${{ matrix.chain }}" in uploads
    pages = str(_jobs("pages.yml"))
    assert 'startswith("cluster-report-")' in pages
    assert "snipcheck.report merge-cluster" in pages


# --- each check fails on a broken workflow ------------------------------------------------------------


def test_a_workflow_that_is_not_yaml_is_named_with_its_line():
    assert yaml_problem(BROKEN / "not-yaml.yml") == (
        "tests/fixtures/workflows/not-yaml.yml:3: not valid YAML: expected ',' or '}', but got '<scalar>'"
    )


def test_a_job_without_runs_on_fails_the_schema():
    code, output = schema_problems([BROKEN / "schema.yml"])
    assert code == 1 and "schema.yml" in output and "jobs.a" in output


def test_a_shell_defect_in_a_run_block_is_found_at_its_line_of_the_workflow():
    assert shell_findings(BROKEN / "shell.yml") == [
        "tests/fixtures/workflows/shell.yml:13: note: Double quote to prevent globbing and word splitting. [SC2086]"
    ]


def test_a_misspelt_matrix_key_is_found():
    assert unknown_matrix_keys(BROKEN / "matrix-key.yml", _matrix_keys()) == [
        "tests/fixtures/workflows/matrix-key.yml:14: matrix.chians is not a key of the matrix "
        "(chain, large, resources, tests, timeout)"
    ]
