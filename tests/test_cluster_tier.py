"""The cluster tier's orchestration, run on tests/fixtures/cluster with stand-in kind, kubectl and docker.

Each test runs `python -m pytest -p snipcheck.plugin` on the fixture site in a subprocess whose PATH
starts with a private copy of tests/fixtures/standins, whose HOME is a fake one holding a .kube/config
that must never change, and whose TMPDIR is the test's own (so leftover sandboxes are visible).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from snipcheck import manifest, needs, report, runner
from snipcheck.cluster import tier as cluster_tier

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIXTURE = HERE / "fixtures" / "cluster"
STANDINS = HERE / "fixtures" / "standins"
USER_KUBECONFIG = "apiVersion: v1\nkind: Config\n# the reader's own cluster: never read or written\n"
# good-chain, background-chain and stuck-chain forward fixed ports (28431-28436): under pytest-xdist the tests
# that start those forwards share one worker, so two never bind the same port at once.
FIXED_PORTS = pytest.mark.xdist_group("cluster-fixture-ports")
DOCKER_DOWN = (
    "docker daemon not reachable: Cannot connect to the Docker daemon at "
    "unix:///var/run/docker.sock. Is the docker daemon running?"
)


class Site:
    """One fixture run: stand-ins, fake home, network listener, report and what the stand-ins logged."""

    def __init__(self, tmp_path: Path, network_port: int):
        self.tmp = tmp_path
        self.bin = tmp_path / "bin"
        shutil.copytree(STANDINS, self.bin)
        self.home = tmp_path / "home"
        (self.home / ".kube").mkdir(parents=True)
        self.user_kubeconfig = self.home / ".kube" / "config"
        self.user_kubeconfig.write_text(USER_KUBECONFIG)
        os.utime(self.user_kubeconfig, (1_600_000_000, 1_600_000_000))
        (tmp_path / "tmp").mkdir()
        self.report_path = tmp_path / "report.json"
        self.evidence_dir = tmp_path / "evidence"
        self.network = f"127.0.0.1:{network_port}"

    def settings(self, **values) -> None:
        (self.bin / "settings.json").write_text(json.dumps(values))

    def env(self) -> dict:
        return {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(self.home),
            "KUBECONFIG": str(self.user_kubeconfig),
            "TMPDIR": str(self.tmp / "tmp"),
            "SNIPCHECK_NETWORK_PROBE": self.network,
            "SNIPCHECK_READER_PATH": str(self.bin),  # the chain's reader session finds the stand-ins first
            "LANG": "C.UTF-8",
            "SNIPCHECK_VENVS": os.environ.get("SNIPCHECK_VENVS", str(REPO / ".venvs")),
        }

    def argv(self, groups, *options) -> list[str]:
        return [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "snipcheck.plugin",
            "--rootdir",
            str(FIXTURE),
            "-c",
            str(FIXTURE / "pytest.ini"),
            "-p",
            "no:cacheprovider",
            "-rA",
            "--report",
            str(self.report_path),
            "--evidence-dir",
            str(self.evidence_dir),
            *options,
            *[str(FIXTURE / "snippets" / g) for g in groups],
        ]

    def run(self, groups, *options) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.argv(groups, *options), cwd=FIXTURE, env=self.env(), capture_output=True, text=True, timeout=300
        )

    def calls(self, tool: str | None = None) -> list[dict]:
        log = self.bin / "log.jsonl"
        rows = [json.loads(row) for row in log.read_text().splitlines()] if log.exists() else []
        return [row for row in rows if tool is None or row["tool"] == tool]

    def report(self) -> dict:
        return json.loads(self.report_path.read_text())

    def tier(self, snippet_id: str) -> dict:
        return self.report()["snippets"][snippet_id]["tiers"]["cluster"]

    def live_processes(self) -> list[str]:
        """Live (non-zombie) processes whose command line names this test's folder."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if str(self.tmp) in cmdline and state != "Z":
                found.append(f"{entry.name} [{state}] {cmdline.strip()}")
        return found

    def assert_user_kubeconfig_untouched(self) -> None:
        assert self.user_kubeconfig.read_text() == USER_KUBECONFIG
        assert self.user_kubeconfig.stat().st_mtime == 1_600_000_000
        assert sorted(p.name for p in (self.home / ".kube").iterdir()) == ["config"]


@pytest.fixture
def network_port():
    # A listening socket is "the network" for needs.network(); connects complete from the backlog.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener.getsockname()[1]
    listener.close()


@pytest.fixture
def site(tmp_path, network_port):
    return Site(tmp_path, network_port)


def kubeconfig_of(call: dict) -> Path:
    """The kubeconfig a stand-in call used, as the real tools choose it: $KUBECONFIG, else ~/.kube/config."""
    return Path(call["KUBECONFIG"] or Path(call["HOME"]) / ".kube" / "config")


def kind_names(site: Site, verb: str) -> list[str]:
    """The cluster names of every `kind <verb> cluster` call, in order."""
    names = []
    for call in site.calls("kind"):
        if call["argv"][:2] == [verb, "cluster"]:
            argv = call["argv"]
            names.append(argv[argv.index("--name") + 1] if "--name" in argv else call["KIND_CLUSTER_NAME"])
    return names


@FIXED_PORTS
def test_a_good_chain_runs_in_order_in_its_own_kubeconfig_and_deletes_its_cluster(site):
    done = site.run(["good-chain"])
    assert done.returncode == 0, done.stdout + done.stderr
    created, deleted = kind_names(site, "create"), kind_names(site, "delete")
    assert len(created) == 1 and created[0].startswith("snipcheck-good-")
    assert deleted[-1] == created[0]  # the chain's own delete step, then the harness's
    steps = [" ".join(c["argv"][:2]) for c in site.calls() if c["KIND_CLUSTER_NAME"] == created[0]]
    assert (
        steps.index("create cluster")
        < steps.index("wait --for=condition=Ready")
        < steps.index("port-forward svc/demo")
        < steps.index("delete cluster")
    )
    chain_calls = [c for c in site.calls() if c["KIND_CLUSTER_NAME"]]
    # The reader's session sets no KUBECONFIG (kind and kubectl use ~/.kube/config of its fresh HOME); the
    # harness's own checks name that same file.
    assert chain_calls and all(c["HOME"] != str(site.home) for c in chain_calls)
    assert all(kubeconfig_of(c) == Path(c["HOME"]) / ".kube" / "config" for c in chain_calls)
    session_calls = [c for c in chain_calls if c["argv"][:1] in (["wait"], ["port-forward"], ["create"])]
    assert session_calls and all(c["KUBECONFIG"] is None for c in session_calls)
    site.assert_user_kubeconfig_untouched()
    chain = site.report()["chains"]["good"]
    assert chain["status"] == "passed" and chain["kind"] == "v0.20.0" and chain["kubernetes"] == "v1.21.14"
    assert chain["node_image"].startswith("kindest/node:v1.21.14@sha256:8a4e9bb3")
    assert site.tier("good-chain/04-use-forward.sh")["status"] == "passed"
    # what the reader's session had that a reader's new shell would not, stated beside each result
    environment = site.tier("good-chain/02-wait-nodes.sh")["environment"]
    assert environment["session"].startswith("one bash session with the chain's earlier steps")
    marker = runner.adds(runner.confinement(site.env()))  # where no PID namespace is allowed, the marker
    assert set(environment["harness_adds"]) == {"KIND_CLUSTER_NAME", "PATH", "files", *marker}
    assert environment["harness_adds"]["files"].endswith("snippets/good-chain/, snippets/shared/")
    assert site.live_processes() == []
    assert list((site.tmp / "tmp").iterdir()) == []  # the chain's sandbox is removed


def test_the_report_names_all_a_chain_session_has_beyond_a_readers_new_shell(monkeypatch):
    for name in ("UV_CACHE_DIR", cluster_tier.READER_PATH, *cluster_tier.DOCKER_SETTINGS):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCKER_HOST", "unix:///run/user/1000/docker.sock")
    monkeypatch.setenv("PIP_CACHE_DIR", "/cache")
    chain = SimpleNamespace(name="demo", folders=[])
    state = SimpleNamespace(chain=chain, cluster=SimpleNamespace(name="snipcheck-demo-1", checks={}), confine=[])
    found = cluster_tier._environment(state)
    assert set(found["harness_adds"]) == {"KIND_CLUSTER_NAME", "DOCKER_HOST", runner.MARKER}
    assert found["harness_adds"]["DOCKER_HOST"].startswith("this machine's Docker setting")
    assert found["shared_between_runs"] == {"PIP_CACHE_DIR": "pip's download cache is shared between runs"}
    state.confine = ["unshare", "--pid"]
    assert runner.MARKER not in cluster_tier._environment(state)["harness_adds"]


def test_a_step_that_asks_the_harness_for_variables_fails_and_names_why(site):
    done = site.run(["env-chain"])
    assert done.returncode == 1
    failed = site.tier("env-chain/02-uses-harness-env.sh")
    assert failed["status"] == "failed"
    assert failed["reason"] == (
        "a step of the reader's session takes no env or args: a reader runs the command as the page shows it"
    )
    assert "snippets/env-chain/02-uses-harness-env.sh:1: cluster tier" in done.stdout
    assert kind_names(site, "delete") == kind_names(site, "create")


def test_a_failed_step_leaves_evidence_skips_the_rest_and_still_deletes(site):
    done = site.run(["failing-chain"])
    assert done.returncode == 1
    failed = site.tier("failing-chain/02-get-missing.sh")
    assert failed["status"] == "failed" and 'namespaces "missing" not found' in failed["output_tail"]
    skipped = site.tier("failing-chain/03-delete-cluster.sh")
    assert skipped["status"] == "skipped"
    assert skipped["reason"] == "an earlier step of chain failing failed: failing-chain/02-get-missing.sh"
    chain = site.report()["chains"]["failing"]
    folder = Path(chain["evidence"])
    assert chain["status"] == "failed" and folder.parent == site.evidence_dir
    assert {"events.txt", "describe-pods.txt", "pods.txt", "kind-logs", "commands.txt"} <= {
        p.name for p in folder.iterdir()
    }
    assert "stand-in event" in (folder / "events.txt").read_text()
    assert f"cluster evidence (kind export logs, kubectl get events, kubectl describe pods): {folder}" in done.stdout
    assert kind_names(site, "delete") == kind_names(site, "create")
    site.assert_user_kubeconfig_untouched()


def chain_commands(site: Site, cluster: str) -> list[str]:
    """`kind create cluster`, `kubectl get nodes`, ...: what the chain's steps (and the harness) ran, in order."""
    return [f"{c['tool']} {' '.join(c['argv'][:2])}" for c in site.calls() if c["KIND_CLUSTER_NAME"] == cluster]


def test_steps_joined_from_another_group_run_in_place_in_a_copy_of_that_group(site):
    # extra-steps/ has no chain and no include; it is named (and collected) first, before host-chain/.
    done = site.run(["extra-steps", "host-chain"])
    assert done.returncode == 0, done.stdout + done.stderr
    [created] = kind_names(site, "create")
    harness_checks = ("kind version", "kind get", "docker inspect", "kubectl version")
    ran = [c for c in chain_commands(site, created) if not c.startswith(harness_checks)]
    assert ran == [
        "kind create cluster",  # host-chain/01
        "kubectl wait --for=condition=Ready",  # host-chain/02
        "kubectl get nodes",  # extra-steps/01, joined after 02-wait-nodes.sh
        "kubectl get configmaps",  # extra-steps/02, joined after extra-steps/01-read-probe.sh
        "kubectl describe nodes",  # extra-steps/03, joined after 02-wait-nodes.sh too, so after 01's follower
        "kind delete cluster",  # host-chain/03
        "kind delete cluster",  # extra-steps/04: no cluster left, still exit 0
        "kind delete cluster",  # the harness, at the chain's end
    ]
    for step in ("01-read-probe.sh", "02-get-configmaps.sh", "03-describe-nodes.sh", "04-delete-again.sh"):
        assert site.tier(f"extra-steps/{step}")["status"] == "passed", step
    # 01-read-probe.sh passed, so it printed probe.txt: the joining group's folder is copied like an include.
    sudo = site.tier("extra-steps/05-needs-sudo.sh")
    assert sudo["status"] == "skipped" and sudo["reason"] == needs.SUDO_REASON
    chain = site.report()["chains"]["host"]
    assert chain["status"] == "incomplete" and chain["reason"] == "7 of 8 steps ran and passed"
    assert site.live_processes() == []
    assert list((site.tmp / "tmp").iterdir()) == []
    site.assert_user_kubeconfig_untouched()


def test_a_failing_joined_step_skips_the_rest_of_the_chain_and_leaves_evidence(site):
    site.settings(fail=["get configmaps"])
    done = site.run(["host-chain", "extra-steps"])
    assert done.returncode == 1
    failed = site.tier("extra-steps/02-get-configmaps.sh")
    assert failed["status"] == "failed" and "stand-in asked to fail: get configmaps -A" in failed["output_tail"]
    for step in (
        "extra-steps/03-describe-nodes.sh",
        "host-chain/03-delete-cluster.sh",
        "extra-steps/04-delete-again.sh",
    ):
        assert site.tier(step) == {
            **site.tier(step),
            "status": "skipped",
            "reason": "an earlier step of chain host failed: extra-steps/02-get-configmaps.sh",
        }
    chain = site.report()["chains"]["host"]
    folder = Path(chain["evidence"])
    assert chain["status"] == "failed" and folder.parent == site.evidence_dir
    assert chain["reason"].startswith("extra-steps/02-get-configmaps.sh: ")
    assert "stand-in event" in (folder / "events.txt").read_text()
    assert kind_names(site, "delete") == kind_names(site, "create")  # the harness still deletes the cluster
    assert site.live_processes() == []
    site.assert_user_kubeconfig_untouched()


def test_the_sudo_need_is_met_only_on_a_ci_runner_with_passwordless_sudo(monkeypatch, tmp_path):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert needs.missing(["sudo"]) == (
        "changes the host's kernel settings with sudo: runs only on a disposable CI runner "
        "(GITHUB_ACTIONS=true with passwordless sudo)"
    )
    # On GitHub's runner but without a sudo that answers: the same reason, and what failed.
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no sudo
    needs._passwordless_sudo.cache_clear()
    try:
        assert needs.missing(["sudo"]) == f"{needs.SUDO_REASON}; sudo is not on PATH"
    finally:
        needs._passwordless_sudo.cache_clear()


def start_slow_chain(site: Site) -> subprocess.Popen:
    """The slow-chain session, whose output the test reads when it has ended."""
    return subprocess.Popen(
        site.argv(["slow-chain"]),
        cwd=FIXTURE,
        env=site.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
def test_a_signal_mid_step_stops_the_step_and_deletes_the_cluster(site, signum):
    site.settings(hang=["wait"])
    session = start_slow_chain(site)
    try:
        until = time.monotonic() + 60
        while not any(c["argv"][:1] == ["wait"] for c in site.calls("kubectl")):
            assert session.poll() is None and time.monotonic() < until, "the slow step never started"
            time.sleep(0.1)
        session.send_signal(signum)
        output, _ = session.communicate(timeout=120)
    finally:
        if session.poll() is None:
            session.kill()
    created = kind_names(site, "create")
    assert created and kind_names(site, "delete") == created, output
    assert site.live_processes() == []
    site.assert_user_kubeconfig_untouched()


# Each phase: the stand-in call to hold at its gate (it logs itself, then waits for gate-open), and how the
# session must end. The signal is sent while the call waits, then the gate opens: no sleeps, no timing.
PHASES = {
    "before the step": ({"tool": "kubectl", "argv": ["version", "-o", "json"]}, "version -o"),
    "while it runs": ({"tool": "kubectl", "argv": ["wait"]}, "wait"),
    "during cleanup": ({"tool": "kind", "argv": ["delete", "cluster"]}, "delete cluster"),
}


def interrupt_at(site: Site, phase: str, signum=signal.SIGINT) -> str:
    """Run slow-chain, send signum while the phase's stand-in call is held at its gate; the output."""
    call, prefix = PHASES[phase]
    site.settings(gate=[prefix])
    session = start_slow_chain(site)
    try:
        while not any(c["argv"][: len(call["argv"])] == call["argv"] for c in site.calls(call["tool"])):
            assert session.poll() is None, "the session ended before the phase was reached"
            time.sleep(0.05)
        session.send_signal(signum)
        (site.bin / "gate-open").touch()
        # A deadline that only a hang reaches: the session ends within seconds once the gate is open.
        output, _ = session.communicate(timeout=120)
    finally:
        if session.poll() is None:
            session.kill()
    return output


@pytest.mark.parametrize("phase", list(PHASES))
def test_ctrl_c_at_any_phase_of_a_step_ends_the_session_and_leaves_nothing(site, phase):
    output = interrupt_at(site, phase)
    assert "KeyboardInterrupt" in output or "Interrupted" in output, output
    created = kind_names(site, "create")
    assert created and kind_names(site, "delete")[-1:] == created, output
    assert not list((site.bin / "state" / "clusters").glob("*.json")), output
    assert site.live_processes() == [], output
    assert list((site.tmp / "tmp").iterdir()) == [], output  # the chain's sandbox is removed
    site.assert_user_kubeconfig_untouched()


@FIXED_PORTS
def test_background_steps_are_stopped_and_a_never_ready_one_fails_with_its_output(site):
    done = site.run(["background-chain"])
    assert site.tier("background-chain/02-port-forward.sh")["status"] == "passed"
    assert site.tier("background-chain/03-forward-and-exit.sh")["status"] == "passed"
    never = site.tier("background-chain/04-never-ready.sh")
    assert never["status"] == "failed"
    assert (
        "the background step never became ready: not ready within 2 s (last probe: tcp 127.0.0.1:28434"
        in never["reason"]
    )
    assert "Forwarding from 127.0.0.1:28433 -> 80" in never["output_tail"]
    assert done.returncode == 1
    # The port-forwards, the one a finished script left running and the `sleep 300` child are gone.
    assert site.live_processes() == []
    assert kind_names(site, "delete") == kind_names(site, "create")


@FIXED_PORTS
def test_a_background_step_with_expected_output_must_exit_on_its_own(site):
    site.run(["stuck-chain"])
    stuck = site.tier("stuck-chain/02-forward-never-exits.sh")
    assert stuck["status"] == "failed"
    assert (
        stuck["reason"] == "declares expected output, so it must exit on its own once ready, but it still ran after 3 s"
    )
    assert site.live_processes() == []


def test_without_docker_every_step_is_skipped_with_the_exact_reason(site):
    site.settings(docker_down=True)
    done = site.run(["good-chain"])
    assert done.returncode == 0
    for step in manifest.load(FIXTURE / "snippets").chains["good"].steps:
        assert site.tier(step) == {**site.tier(step), "status": "skipped", "reason": DOCKER_DOWN}
    assert site.report()["chains"]["good"]["status"] == "skipped"
    assert kind_names(site, "create") == []


def test_without_network_every_step_is_skipped_with_the_exact_reason(site):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    site.network = f"127.0.0.1:{closed.getsockname()[1]}"
    closed.close()
    site.run(["good-chain"])
    reason = site.tier("good-chain/01-create-cluster.sh")["reason"]
    assert reason == f"no network: cannot reach {site.network} (Connection refused)"


def test_existing_cluster_without_a_context_is_refused(site):
    site.run(["good-chain"], "--cluster=existing")
    assert (
        site.tier("good-chain/02-wait-nodes.sh")["reason"]
        == "--cluster=existing needs --context NAME (refusing to guess a context)"
    )
    assert site.calls("kubectl") == [] or all(c["argv"][:2] != ["config", "view"] for c in site.calls("kubectl"))


@FIXED_PORTS
def test_existing_cluster_runs_the_middle_steps_in_a_copy_of_that_context_and_never_deletes(site):
    (site.bin / "state" / "clusters").mkdir(parents=True)
    (site.bin / "state" / "clusters" / "mine.json").write_text(json.dumps({"image": "kindest/node:x"}))
    kubeconfig = subprocess.run(
        [str(site.bin / "kind"), "get", "kubeconfig", "--name", "mine"], capture_output=True, text=True, check=True
    ).stdout
    site.user_kubeconfig.write_text(kubeconfig)
    os.utime(site.user_kubeconfig, (1_600_000_000, 1_600_000_000))
    done = site.run(["good-chain"], "--cluster=existing", "--context=kind-mine")
    assert done.returncode == 0, done.stdout
    for step, role in (("01-create-cluster.sh", "create-cluster"), ("05-delete-cluster.sh", "delete-cluster")):
        assert site.tier(f"good-chain/{step}")["reason"] == (
            f"--cluster=existing --context kind-mine: this {role} step is not run; "
            "the existing cluster is used and never created or deleted"
        )
    for step in ("02-wait-nodes.sh", "03-port-forward.sh", "04-use-forward.sh"):
        assert site.tier(f"good-chain/{step}")["status"] == "passed"
    assert kind_names(site, "delete") == [] and kind_names(site, "create") == []
    step_calls = [c for c in site.calls("kubectl") if c["argv"][:1] in (["wait"], ["port-forward"])]
    assert step_calls and all(kubeconfig_of(c) != site.user_kubeconfig for c in step_calls)
    assert all(kubeconfig_of(c).read_text() == kubeconfig for c in step_calls if kubeconfig_of(c).exists())
    assert site.user_kubeconfig.read_text() == kubeconfig
    assert site.user_kubeconfig.stat().st_mtime == 1_600_000_000


def test_a_kind_release_other_than_the_pinned_one_fails_the_create_step(site):
    site.settings(kind_version="v0.19.0")
    site.run(["failing-chain"])
    create = site.tier("failing-chain/01-create-cluster.sh")
    assert create["status"] == "failed"
    assert "kind on the sandbox PATH is v0.19.0, the chain pins v0.20.0" in create["reason"]
    assert kind_names(site, "delete") == kind_names(site, "create")


def test_a_node_image_other_than_the_pinned_one_fails_the_create_step(site):
    site.settings(node_image="kindest/node:v1.36.1")
    site.run(["failing-chain"])
    assert (
        "a node runs kindest/node:v1.36.1, the chain pins kindest/node:v1.21.14@sha256:"
        in site.tier("failing-chain/01-create-cluster.sh")["reason"]
    )


def test_keep_cluster_leaves_it_running_and_says_how_to_delete_it(site):
    done = site.run(["failing-chain"], "--keep-cluster")
    created = kind_names(site, "create")
    assert created and kind_names(site, "delete") == []
    assert f"delete it with: kind delete cluster --name {created[0]}" in done.stderr
    kept = [p for p in (site.tmp / "tmp").iterdir() if p.name.startswith("snipcheck-failing-")]
    assert len(kept) == 1 and (kept[0] / "home" / ".kube" / "config").is_file()


class FakeCtx:
    def __init__(self, cluster="kind", context=None):
        from snipcheck.context import Options
        from snipcheck.report import Report

        self.options = Options(report=Path("unused.json"), cluster=cluster, context=context)
        self.report = Report(Path("unused.json"))


def test_a_machine_smaller_than_the_chain_declares_is_the_skip_reason(monkeypatch):
    chain = manifest.Chain(
        "big", "g", "v0.20.0", "kindest/node:x@sha256:0", (), (), Path("checks.yaml"), 1, resources={"cpus": 4096}
    )
    ctx = FakeCtx()
    assert cluster_tier.chain_skip_reason(ctx, chain) == f"needs 4096 CPUs, this machine has {os.cpu_count()}"
    assert ctx.report.chains == {}  # asking writes nothing


def test_create_and_delete_steps_are_recognised_by_their_kind_command(tmp_path):
    def role(text):
        path = tmp_path / "step.sh"
        path.write_text(text)
        return cluster_tier.step_role(manifest.Snippet("g/step.sh", path, "g", "bash", {}, path, 1))

    assert role("kind create cluster --config kind.yaml --wait 5m\n") == "create-cluster"
    assert role("kind delete cluster\n") == "delete-cluster"
    assert role("# kind create cluster is what the next page does\nkubectl get pods\n") is None
    assert role("kind get clusters\n") is None


def test_deselecting_the_cluster_marker_runs_no_chain(site):
    # Pull requests and the Pages build run `-m "not cluster"`: no cluster starts, nothing is recorded.
    subprocess.run(
        site.argv(["good-chain"]) + ["-m", "not cluster"], cwd=FIXTURE, env=site.env(), capture_output=True, timeout=300
    )
    assert kind_names(site, "create") == []


def test_merge_takes_the_chains_and_cluster_tiers_of_a_cluster_report(tmp_path):
    def tier(status):
        return {
            "status": status,
            "reason": None,
            "reason_ko": None,
            "at": "2026-12-01T00:00:00Z",
            "sha256": "x",
            "duration": 1.0,
            "output_tail": None,
            "environment": {},
        }

    cluster = {
        "format": 1,
        "updated": None,
        "machine": {},
        "tools": {},
        "chains": {"c": {"status": "passed"}},
        "snippets": {
            "g/a.sh": {"sha256": "x", "pages": [], "tiers": {"cluster": tier("passed"), "static": tier("failed")}},
            "g/gone.sh": {"sha256": "y", "pages": [], "tiers": {"cluster": tier("passed")}},
        },
    }
    checks = {
        **cluster,
        "chains": {},
        "snippets": {
            "g/a.sh": {
                "sha256": "x",
                "pages": ["docs/p.md:3"],
                "tiers": {"static": tier("passed"), "cluster": tier("skipped")},
            }
        },
    }
    (tmp_path / "cluster.json").write_text(json.dumps(cluster))
    (tmp_path / "site.json").write_text(json.dumps(checks))
    assert report.main(["merge-cluster", str(tmp_path / "cluster.json"), str(tmp_path / "site.json")]) == 0
    merged = json.loads((tmp_path / "site.json").read_text())
    assert merged["chains"]["c"]["status"] == "passed" and "g/gone.sh" not in merged["snippets"]
    tiers = merged["snippets"]["g/a.sh"]["tiers"]
    assert tiers["cluster"]["status"] == "passed" and tiers["static"]["status"] == "passed"
    assert merged["snippets"]["g/a.sh"]["pages"] == ["docs/p.md:3"]
    assert report.main(["merge-cluster", str(tmp_path / "missing.json")]) == 2
