"""The cluster workflow's job matrix (snipcheck.cluster_matrix) and the large-runner skip reason (needs.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from snipcheck import cluster_matrix, needs
from snipcheck.manifest import load
from snipcheck.site import reasons
from support.git_env import GIT_ENV

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MANIFESTS = HERE / "fixtures" / "manifest"


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, env={**os.environ, **GIT_ENV}, timeout=60
    )


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository whose snippets/ is the fixture with a chain joined from two other groups, one commit on main."""
    root = tmp_path / "repo"
    shutil.copytree(MANIFESTS / "joined", root / "snippets")
    (root / "README.md").write_text("readme\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "fixture")
    return root


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "snipcheck.cluster_matrix", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **GIT_ENV},
    )


def test_every_chain_gets_one_entry_with_its_steps_in_chain_order(repo):
    entries, why = cluster_matrix.plan(repo)
    chain = load(repo / "snippets").chains["host-chain"]
    assert [e["chain"] for e in entries] == ["host-chain"] and why == {"host-chain": "every chain runs"}
    expected = [f"snippets/{s.split('/')[0]}/checks.yaml::{s.split('/', 1)[1]}::cluster" for s in chain.steps]
    assert entries[0]["tests"].split() == expected
    assert entries[0]["large"] is False and entries[0]["resources"] == ""
    # Seven steps with the cluster tier's default timeout (900 s each, 105 minutes) and the setup.
    assert entries[0]["timeout"] == cluster_matrix.SETUP_MINUTES + 105


def test_named_chains_are_chosen_and_an_unknown_name_is_one_line_and_exit_2(repo):
    entries, why = cluster_matrix.plan(repo, chains="host-chain,")
    assert [e["chain"] for e in entries] == ["host-chain"] and why == {"host-chain": "named in the request"}
    assert cluster_matrix.plan(repo, chains="  ")[1] == {"host-chain": "every chain runs"}  # empty input: all
    done = _cli("--chains", "host-chain nope", cwd=repo)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == "snipcheck.cluster_matrix: unknown chain 'nope' (known: host-chain)"


def test_a_change_in_any_folder_of_a_chain_chooses_it_and_other_changes_choose_none(repo):
    (repo / "README.md").write_text("changed\n")
    assert cluster_matrix.plan(repo, base="main") == ([], {})
    (repo / "snippets" / "more" / "m.sh").write_text("echo changed\n")  # a group that joins the chain
    entries, why = cluster_matrix.plan(repo, base="main")
    assert [e["chain"] for e in entries] == ["host-chain"]
    assert why["host-chain"] == "snippets/more/m.sh changed (working tree)"
    done = _cli("--changed", "main", cwd=repo)
    assert done.returncode == 0 and json.loads(done.stdout)[0]["chain"] == "host-chain"
    assert "chain host-chain: snippets/more/m.sh changed (working tree)" in done.stderr


def test_nothing_chosen_prints_an_empty_matrix_and_says_so(repo):
    done = _cli("--changed", "main", cwd=repo)
    assert done.returncode == 0 and json.loads(done.stdout) == []
    assert "no chain chosen" in done.stderr


def test_a_bad_base_or_a_broken_manifest_is_one_line_naming_it(repo, tmp_path):
    done = _cli("--changed", "no-such-branch", cwd=repo)
    assert done.returncode == 2 and done.stdout == ""
    assert "unknown BASE 'no-such-branch'" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    broken = tmp_path / "broken"
    shutil.copytree(MANIFESTS / "join-unknown-chain", broken / "snippets")
    done = _cli("--repo", str(broken), cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "checks.yaml:" in done.stderr and "which no checks.yaml declares" in done.stderr


def test_the_real_matrix_runs_exactly_the_cluster_items_and_puts_the_full_platform_on_a_large_runner(tmp_path):
    entries, _ = cluster_matrix.plan(REPO)
    by_chain = {e["chain"]: e for e in entries}
    assert set(by_chain) == set(load(REPO / "snippets").chains)
    assert by_chain["kubeflow-26.03.1"]["large"] is True
    assert by_chain["kubeflow-26.03.1"]["resources"] == "8 CPUs and 16 GiB of memory"
    assert all(not e["large"] for name, e in by_chain.items() if name != "kubeflow-26.03.1")
    assert all(cluster_matrix.SETUP_MINUTES < e["timeout"] <= cluster_matrix.MAX_JOB_MINUTES for e in entries)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(REPO / "pyproject.toml"), "--rootdir", str(REPO)]
        + ["-p", "no:cacheprovider", "--collect-only", "-q", "snippets", "-m", "cluster"]
        + ["--report", str(tmp_path / "report.json")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    collected = [row for row in done.stdout.splitlines() if row.endswith("::cluster")]
    matrix = [test for e in entries for test in e["tests"].split()]
    assert sorted(matrix) == sorted(collected), done.stdout[-2000:] + done.stderr[-2000:]


def test_a_chain_larger_than_a_standard_runner_is_skipped_with_the_workflows_reason(monkeypatch):
    big, small = {"cpus": 8, "memory_gib": 16}, {"cpus": 4, "memory_gib": 12}
    assert needs.exceeds_standard_runner(big) and not needs.exceeds_standard_runner(small)
    assert needs.exceeds_standard_runner({"memory_gib": 16}) and not needs.exceeds_standard_runner({})
    monkeypatch.setenv(needs.NO_LARGE_RUNNER, "no runner that large is configured: set KUBEFLOW_FULL_RUNNER")
    reason = needs.short_of(big)
    assert reason == "needs 8 CPUs and 16 GiB of memory; no runner that large is configured: set KUBEFLOW_FULL_RUNNER"
    assert reasons.cause(reason, reasons.SKIP_CAUSES) == "resources"  # the site says "needs a bigger machine"
    assert needs.short_of({"cpus": 1}) is None  # a chain that fits a standard runner is not affected
    monkeypatch.setenv(needs.NO_LARGE_RUNNER, "  ")
    assert needs.short_of({"cpus": 1}) is None and needs.short_of({}) is None


def test_the_cluster_tier_gives_the_large_runner_reason_for_a_large_chain_only(monkeypatch):
    from snipcheck.cluster import tier as cluster_tier
    from snipcheck.context import Options
    from snipcheck.manifest import Chain
    from snipcheck.report import Report

    class Ctx:
        options = Options(report=Path("unused.json"))
        report = Report(Path("unused.json"))

    def chain(resources: dict) -> Chain:
        return Chain("c", "g", "v0.32.0", "kindest/node:x@sha256:0", (), (), Path("c.yaml"), 1, resources=resources)

    monkeypatch.setenv(needs.NO_LARGE_RUNNER, "no runner that large is configured")
    assert cluster_tier.chain_skip_reason(Ctx(), chain({"cpus": 8, "memory_gib": 16})) == (
        "needs 8 CPUs and 16 GiB of memory; no runner that large is configured"
    )
    assert cluster_tier.chain_skip_reason(Ctx(), chain({})) is None
