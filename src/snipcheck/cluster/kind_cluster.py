"""The cluster of one chain: its unique kind name, what the harness checks of it, and its deletion.

The chain's own snippets install kind and create the cluster (a reader runs the same commands); the
harness only names the cluster (KIND_CLUSTER_NAME), points KUBECONFIG at the sandbox, checks what was
created and always deletes it. Every command runs through runner.run (its own process group, a
deadline) with the sandbox environment, so the user's KUBECONFIG and ~/.kube are never touched.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .. import runner

TOOL_TIMEOUT = 120  # seconds for one harness command (version, inspect, events)
DELETE_TIMEOUT = 300  # seconds for `kind delete cluster`
EXPORT_TIMEOUT = 300  # seconds for `kind export logs`
NAME_LIMIT = 40  # kind names become container host names; keep them short
# kind reads a node's stale clusters by this prefix, so `kind get clusters | grep` finds leftovers.
NAME_PREFIX = "snipcheck-"


@dataclass
class Cluster:
    name: str | None  # the kind cluster name (None for an existing cluster)
    env: dict  # the sandbox environment every command runs with
    cwd: Path
    owned: bool = True  # False: an existing cluster, never deleted
    keep: bool = False  # --keep-cluster: left running at the end, with a note
    deleted: bool = False
    checks: dict = field(default_factory=dict)  # kind, node_image, kubernetes as found

    def run(self, argv: list[str], timeout: float = TOOL_TIMEOUT) -> runner.RunResult:
        return run_tool(argv, cwd=self.cwd, env=self.env, timeout=timeout)


def run_tool(argv: list[str], *, cwd: Path, env: dict, timeout: float = TOOL_TIMEOUT) -> runner.RunResult:
    """Run a tool found on env's PATH (the sandbox's: a chain installs kind into $HOME/.local/bin)."""
    found = shutil.which(argv[0], path=env.get("PATH"))
    if found is None:
        return runner.RunResult(list(argv), 127, "", f"{argv[0]}: command not found on the sandbox PATH", 0.0)
    return runner.run([found, *argv[1:]], cwd=cwd, env=env, timeout=timeout)


def unique_name(chain: str) -> str:
    """A kind cluster name no other session uses: snipcheck-<chain>-<random>."""
    slug = re.sub(r"[^a-z0-9-]+", "-", chain.lower()).strip("-")
    return f"{NAME_PREFIX}{slug[: NAME_LIMIT - len(NAME_PREFIX) - 7]}-{secrets.token_hex(3)}"


def for_chain(chain: str, env: dict, cwd: Path, keep: bool = False) -> Cluster:
    """The kind cluster a chain will create (register it with Clusters at once, so it is deleted even mid-create)."""
    name = unique_name(chain)
    return Cluster(name, {**env, "KIND_CLUSTER_NAME": name}, cwd, owned=True, keep=keep)


def existing(env: dict, cwd: Path) -> Cluster:
    """An existing cluster reached through the sandbox kubeconfig; never created or deleted here."""
    return Cluster(None, dict(env), cwd, owned=False)


def kubeconfig_of_context(context: str, dest: Path, user_env: dict) -> str | None:
    """Write the one context's flattened kubeconfig to dest; None, or why it could not."""
    done = run_tool(
        ["kubectl", "config", "view", "--minify", "--flatten", "--context", context], cwd=dest.parent, env=user_env
    )
    if done.exit_code != 0 or "clusters:" not in done.stdout:
        return (
            f"`{done.command}` exited with code {done.exit_code}: "
            f"{(done.stderr or done.stdout).strip() or '(no output)'}"
        )
    dest.write_text(done.stdout, encoding="utf-8")
    dest.chmod(0o600)
    return None


def kind_version(cluster: Cluster) -> str | None:
    """The release of the kind on the sandbox PATH (v0.20.0), or None when it cannot be asked."""
    done = cluster.run(["kind", "version"])
    found = re.search(r"\bv\d+\.\d+\.\d+\S*", done.stdout) if done.exit_code == 0 else None
    return found.group(0) if found else None


def node_images(cluster: Cluster) -> list[str]:
    """The image each node container of the cluster was started from, as docker recorded it."""
    nodes = cluster.run(["kind", "get", "nodes", "--name", str(cluster.name)])
    images = []
    for node in nodes.stdout.split() if nodes.exit_code == 0 else []:
        done = cluster.run(["docker", "inspect", "--format", "{{.Config.Image}}", node])
        if done.exit_code == 0 and done.stdout.strip():
            images.append(done.stdout.strip())
    return images


def server_version(cluster: Cluster) -> str | None:
    """The API server's version (v1.21.14) through the sandbox kubeconfig, or None."""
    done = cluster.run(["kubectl", "version", "-o", "json"])
    try:
        return json.loads(done.stdout)["serverVersion"]["gitVersion"]
    except (ValueError, KeyError, TypeError):
        return None


def check_created(cluster: Cluster, want_kind: str, want_image: str) -> list[str]:
    """After the create step: the kind release and node image the chain pins. The problems found."""
    found_kind = kind_version(cluster)
    images = node_images(cluster)
    cluster.checks = {
        "kind": found_kind,
        "node_image": images[0] if images else None,
        "kubernetes": server_version(cluster),
    }
    problems = []
    if found_kind != want_kind:
        problems.append(f"kind on the sandbox PATH is {found_kind or 'not answering'}, the chain pins {want_kind}")
    if not images:
        problems.append(f"no node of kind cluster {cluster.name!r} could be inspected with docker")
    for image in images:
        if not same_image(image, want_image):
            problems.append(f"a node runs {image}, the chain pins {want_image}")
    return problems


def same_image(found: str, pinned: str) -> bool:
    """The node runs the pinned image: the same reference, or the same digest when both carry one."""
    if found == pinned:
        return True
    digest = pinned.partition("@")[2]
    return bool(digest) and found.partition("@")[2] == digest


def delete(cluster: Cluster) -> runner.RunResult | None:
    """`kind delete cluster --name N` (idempotent in kind); nothing for an existing or kept cluster."""
    if not cluster.owned or cluster.keep or cluster.deleted:
        return None
    done = cluster.run(["kind", "delete", "cluster", "--name", str(cluster.name)], timeout=DELETE_TIMEOUT)
    cluster.deleted = done.exit_code == 0
    return done


def how_to_delete(cluster: Cluster) -> str:
    return f"kept kind cluster {cluster.name!r}; delete it with: kind delete cluster --name {cluster.name}"


class Clusters:
    """The kind clusters one session named for its chains; whatever is not deleted yet, delete_all deletes."""

    def __init__(self) -> None:
        self.owned: dict[str, Cluster] = {}

    def for_chain(self, chain: str, env: dict, cwd: Path, keep: bool = False) -> Cluster:
        cluster = for_chain(chain, env, cwd, keep)
        self.owned[str(cluster.name)] = cluster
        return cluster

    def delete_all(self) -> list[str]:
        """Delete every owned cluster not deleted or kept; what could not be deleted, as sentences."""
        problems = []
        for cluster in self.owned.values():
            if cluster.keep or cluster.deleted:
                continue
            try:
                done = delete(cluster)
            except Exception as exc:  # go on with the next cluster; the caller reports this one
                problems.append(f"could not delete kind cluster {cluster.name}: {exc}")
                continue
            if done is not None and done.exit_code != 0:
                problems.append(f"`{done.command}` exited with code {done.exit_code}; delete it by hand")
        return problems
