"""kind_cluster.py and evidence.py against the stand-in kind, kubectl and docker (tests/fixtures/standins)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from snipcheck.cluster import evidence, kind_cluster

STANDINS = Path(__file__).resolve().parent / "fixtures" / "standins"
PINNED = "kindest/node:v1.21.14@sha256:8a4e9bb3f415d2bb81629ce33ef9c76ba514c14d707f9797a01e3216376ba093"


@pytest.fixture
def box(tmp_path):
    """A sandbox-like environment: the stand-ins first on PATH, a fresh HOME and KUBECONFIG."""
    shutil.copytree(STANDINS, tmp_path / "bin")
    (tmp_path / "home").mkdir()
    env = {
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path / "home"),
        "KUBECONFIG": str(tmp_path / "kubeconfig"),
    }
    return tmp_path, env


def calls(tmp_path: Path) -> list[list[str]]:
    log = tmp_path / "bin" / "log.jsonl"
    return [json.loads(row)["argv"] for row in log.read_text().splitlines()] if log.exists() else []


def created(box, chain="demo", **settings) -> kind_cluster.Cluster:
    tmp_path, env = box
    if settings:
        (tmp_path / "bin" / "settings.json").write_text(json.dumps(settings))
    cluster = kind_cluster.for_chain(chain, env, tmp_path)
    assert cluster.run(["kind", "create", "cluster"]).exit_code == 0
    return cluster


def test_unique_names_are_short_lowercase_and_never_repeat():
    names = {kind_cluster.unique_name("Kubeflow 26.03.1 / a very long chain name indeed") for _ in range(50)}
    assert len(names) == 50
    for name in names:
        assert re.fullmatch(r"snipcheck-[a-z0-9-]+-[0-9a-f]{6}", name) and len(name) <= kind_cluster.NAME_LIMIT


def test_a_created_cluster_passes_the_checks_and_records_what_it_runs(box):
    cluster = created(box)
    assert kind_cluster.check_created(cluster, "v0.20.0", PINNED) == []
    assert cluster.checks == {"kind": "v0.20.0", "node_image": PINNED, "kubernetes": "v1.21.14"}
    kind_cluster.delete(cluster)


def test_another_kind_release_or_node_image_is_named(box):
    cluster = created(box, kind_version="v0.19.0", node_image="kindest/node:v1.36.1")
    assert kind_cluster.check_created(cluster, "v0.20.0", PINNED) == [
        "kind on the sandbox PATH is v0.19.0, the chain pins v0.20.0",
        f"a node runs kindest/node:v1.36.1, the chain pins {PINNED}",
    ]
    kind_cluster.delete(cluster)


def test_a_cluster_that_was_never_created_is_reported_as_such(box):
    tmp_path, env = box
    cluster = kind_cluster.for_chain("demo", env, tmp_path)
    problems = kind_cluster.check_created(cluster, "v0.20.0", PINNED)
    assert problems == [f"no node of kind cluster {cluster.name!r} could be inspected with docker"]
    kind_cluster.delete(cluster)


def test_an_image_is_the_pinned_one_when_its_digest_matches():
    digest = PINNED.partition("@")[2]
    assert kind_cluster.same_image(PINNED, PINNED)
    assert kind_cluster.same_image(f"docker.io/kindest/node@{digest}", PINNED)
    assert not kind_cluster.same_image("kindest/node:v1.21.14", PINNED)


def test_delete_names_the_cluster_once_and_never_touches_kept_or_existing_ones(box):
    tmp_path, env = box
    cluster = created(box)
    assert kind_cluster.delete(cluster).exit_code == 0
    assert kind_cluster.delete(cluster) is None  # already deleted
    assert calls(tmp_path)[-1] == ["delete", "cluster", "--name", cluster.name]
    kept = kind_cluster.for_chain("kept", env, tmp_path, keep=True)
    assert kind_cluster.delete(kept) is None
    assert "kind delete cluster --name snipcheck-kept-" in kind_cluster.how_to_delete(kept)
    assert kind_cluster.delete(kind_cluster.existing(env, tmp_path)) is None
    assert [c for c in calls(tmp_path) if c[:2] == ["delete", "cluster"]] == [
        ["delete", "cluster", "--name", cluster.name]
    ]


def test_at_the_session_end_every_owned_cluster_left_is_deleted_and_kept_ones_stay(box):
    tmp_path, env = box
    clusters = kind_cluster.Clusters()
    first, second = clusters.for_chain("one", env, tmp_path), clusters.for_chain("two", env, tmp_path)
    kept = clusters.for_chain("kept", env, tmp_path, keep=True)
    assert clusters.delete_all() == []
    deleted = [c[3] for c in calls(tmp_path) if c[:2] == ["delete", "cluster"]]
    assert deleted == [first.name, second.name] and first.deleted and second.deleted and not kept.deleted


def test_a_tool_missing_from_the_sandbox_path_is_an_exit_code_not_a_traceback(tmp_path):
    done = kind_cluster.run_tool(["kind-that-does-not-exist", "version"], cwd=tmp_path, env={"PATH": str(tmp_path)})
    assert done.exit_code == 127 and "kind-that-does-not-exist: command not found" in done.stderr


def test_an_existing_context_is_copied_into_the_sandbox_and_a_missing_one_named(box):
    tmp_path, env = box
    user_config = tmp_path / "user-config"
    user_config.write_text("apiVersion: v1\nclusters: []\ncontexts:\n- context: {}\n  name: mine\n")
    user_env = {**env, "KUBECONFIG": str(user_config)}
    dest = tmp_path / "sandbox-kubeconfig"
    assert kind_cluster.kubeconfig_of_context("mine", dest, user_env) is None
    assert dest.read_text() == user_config.read_text() and dest.stat().st_mode & 0o777 == 0o600
    problem = kind_cluster.kubeconfig_of_context("theirs", tmp_path / "other", user_env)
    assert 'exited with code 1: error: context "theirs" does not exist' in problem


def test_evidence_holds_the_logs_events_and_pods_and_lists_each_command(box, tmp_path):
    cluster = created(box)
    folder = evidence.collect(cluster, tmp_path / "evidence", "demo")
    assert folder.parent == tmp_path / "evidence" and folder.name.startswith("demo-")
    assert (folder / "kind-logs").is_dir() and "stand-in event" in (folder / "events.txt").read_text()
    commands = (folder / "commands.txt").read_text().splitlines()
    assert commands[0].startswith(f"exit 0: kind export logs {folder / 'kind-logs'} --name {cluster.name}")
    assert "exit 0: kubectl describe pods -A -> describe-pods.txt" in commands
    assert evidence.collect(cluster, tmp_path / "evidence", "demo") != folder  # a second failure, apart
    kind_cluster.delete(cluster)


def test_evidence_of_an_unreachable_cluster_says_which_command_failed(box, tmp_path):
    _, env = box
    cluster = kind_cluster.existing(env, tmp_path)
    folder = evidence.collect(cluster, tmp_path / "evidence", "gone")
    commands = (folder / "commands.txt").read_text()
    assert "kind export logs" not in commands  # an existing cluster is not a kind one of ours
    assert (
        "exit 1: kubectl get events -A --sort-by=.lastTimestamp -> events.txt  (The connection to the "
        "server localhost:8080 was refused" in commands
    )
