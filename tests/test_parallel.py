"""Under pytest-xdist (`-n 2 --dist loadgroup`, what scripts/test runs) the report equals the serial one: the
workers hand their results to the controller, which writes one report; every chain runs whole on one worker,
in order; the session's notes are printed once; and the groups are marked as the items share state."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import test_cluster_tier as cluster_tests
from snipcheck import groups, plugin
from snipcheck.walkthrough.items import WalkthroughItem
from test_walkthrough import ESCAPES

pytest_plugins = ["pytester"]
Site, kind_names = cluster_tests.Site, cluster_tests.kind_names
network_port = cluster_tests.network_port  # the fixture: a listening socket stands in for the network
HERE = Path(__file__).resolve().parent
WALKTHROUGH = HERE / "fixtures" / "walkthrough"
CLUSTER = HERE / "fixtures" / "cluster"
SERIAL, TWO_WORKERS = ["-n", "0"], ["-n", "2", "--dist", "loadgroup"]
MADE_AT = {"at", "updated", "duration"}  # when and how long: the only fields two runs may differ in


def normalised(value, cluster_names: bool = False):
    """The report without its times; with cluster_names, each random kind cluster name is its chain's."""
    if isinstance(value, dict):
        return {key: normalised(item, cluster_names) for key, item in value.items() if key not in MADE_AT}
    if isinstance(value, list):
        return [normalised(item, cluster_names) for item in value]
    if isinstance(value, str) and cluster_names:
        return re.sub(r"snipcheck-([a-z]+)-[0-9a-z]+\b", r"snipcheck-\1-NAME", value)
    return value


def pytest_run(root: Path, report: Path, *args: str) -> subprocess.CompletedProcess:
    config = ["--rootdir", str(root), "-c", str(root / "pytest.ini"), "-p", "no:cacheprovider"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "snipcheck.plugin", *config, "-rA", "--report", str(report), *args],
        cwd=root,
        env={**os.environ, "TMPDIR": str(report.parent.parent)},  # one for both runs: output names it
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_same(report: dict, expected: dict) -> None:
    """Equal reports, compared entry by entry so that a difference names its snippet, walkthrough or chain."""
    assert report.keys() == expected.keys()
    for section in ("snippets", "walkthroughs", "chains"):
        assert report[section].keys() == expected[section].keys(), section
        for name, entry in expected[section].items():
            assert report[section][name] == entry, f"{section}: {name}"
    assert report == expected


def summary(done: subprocess.CompletedProcess) -> str:
    """pytest's last line without its time and deselected count (xdist's controller does not count those)."""
    last = done.stdout.strip().splitlines()[-1]
    return re.sub(r", \d+ deselected| in [0-9.]+s.*", "", last).strip("= ")


@ESCAPES  # it runs the `escapes` walkthrough too
def test_the_report_under_two_workers_equals_the_serial_report(tmp_path):
    # passes, failures, walkthroughs (both attempts), tiers that do not apply: every kind of entry
    # (not slow-step: whether bash reports its killed `sleep` before the group dies varies from run to run)
    targets = ["snippets", "docs/good.md", "docs/broken.md", "--deselect", "docs/broken.md::walkthrough::slow-step"]
    runs = {}
    for name, workers in (("serial", SERIAL), ("parallel", TWO_WORKERS)):
        (tmp_path / name).mkdir()
        done = pytest_run(WALKTHROUGH, tmp_path / name / "report.json", *workers, *targets)
        runs[name] = done, json.loads((tmp_path / name / "report.json").read_text())
    (serial, serial_report), (parallel, parallel_report) = runs["serial"], runs["parallel"]
    assert "2 workers" in parallel.stdout, parallel.stdout
    assert parallel.returncode == serial.returncode == 1
    assert summary(parallel) == summary(serial) and "failed" in summary(serial) and "passed" in summary(serial)
    assert serial_report["walkthroughs"] and serial_report["snippets"]
    assert_same(normalised(parallel_report), normalised(serial_report))
    assert parallel_report["tools"] == serial_report["tools"]  # found once, by the controller


def workers_of(output: str) -> dict[str, str]:
    """node id (without its group) -> the worker that ran it, from `-v` lines like `[gw1] [ 50%] PASSED id@group`."""
    ran = re.findall(r"^\[(gw\d+)\] \[ *\d+%\] [A-Z]+ (\S+)", output, re.MULTILINE)
    return {node.split("@")[0]: worker for worker, node in ran}


def test_chains_run_whole_on_one_worker_in_order_and_the_report_is_the_serial_one(tmp_path, network_port):
    # extra-steps/ joins host-chain: its steps must run on the chain's worker, between the chain's own
    reports = {}
    for name, workers in (("serial", SERIAL), ("parallel", [*TWO_WORKERS, "-v"])):
        site = Site(tmp_path / name, network_port)
        done = site.run(["extra-steps", "host-chain", "failing-chain"], *workers)
        assert done.returncode == 1, done.stdout + done.stderr  # failing-chain fails at its second step
        created = kind_names(site, "create")
        assert len(created) == 2 and set(kind_names(site, "delete")) == set(created)
        [host] = [c for c in created if c.startswith("snipcheck-host-")]
        ran = [f"{c['tool']} {' '.join(c['argv'][:2])}" for c in site.calls() if c["KIND_CLUSTER_NAME"] == host]
        harness = ("kind version", "kind get", "docker inspect", "kubectl version")
        assert [c for c in ran if not c.startswith(harness)][:5] == [
            "kind create cluster",
            "kubectl wait --for=condition=Ready",
            "kubectl get nodes",
            "kubectl get configmaps",
            "kubectl describe nodes",
        ], name
        # every passing chain's folder removed by the worker that made it; the failing chain's session is kept
        # for debugging, as its failure says (pytest-of-*: the workers' own temporary folders)
        left = [p.name for p in (site.tmp / "tmp").iterdir() if not p.name.startswith("pytest-of-")]
        assert [re.sub(r"-\w+$", "", name) for name in left] == ["snipcheck-failing"]
        assert str(site.tmp / "tmp" / left[0]) in done.stdout
        report = site.report()
        for chain in report["chains"].values():  # the evidence folder is named by the time
            chain["evidence"] = chain["evidence"] and Path(chain["evidence"]).parent.name
        for entry in report["snippets"].values():
            for result in entry["tiers"].values():
                tail = result["output_tail"]
                tail = tail and re.sub(r"\S+/evidence/\S+", "EVIDENCE", tail)
                result["output_tail"] = tail and re.sub(r"\S+/tmp/snipcheck-\S+", "SESSION", tail)
        reports[name] = normalised(report, cluster_names=True)
    cluster_items = {node: worker for node, worker in workers_of(done.stdout).items() if node.endswith("::cluster")}
    assert len(cluster_items) == 11 and len(set(cluster_items.values())) == 1, done.stdout
    assert_same(reports["parallel"], reports["serial"])


def test_the_session_notes_of_the_workers_are_printed_once(tmp_path, network_port):
    site = Site(tmp_path, network_port)
    done = site.run(["host-chain", "failing-chain"], *TWO_WORKERS, "--keep-cluster")
    for chain in ("host", "failing"):
        notes = [line for line in done.stderr.splitlines() if f"kind delete cluster --name snipcheck-{chain}-" in line]
        assert len(notes) == 1, done.stderr


def test_a_module_fixture_keeps_its_tests_on_one_worker(pytester):
    pytester.makepyfile(
        test_shared="""
        import pytest

        @pytest.fixture(scope="module")
        def built():
            return object()

        @pytest.mark.parametrize("n", range(6))
        def test_uses_it(built, n):
            pass

        @pytest.mark.parametrize("n", range(6))
        def test_alone(n):
            pass
        """
    )
    pytester.makeini("[pytest]\n")
    done = pytester.runpytest_subprocess("-p", "snipcheck.plugin", "--report", "r.json", *TWO_WORKERS, "-v")
    ran = workers_of(done.stdout.str())
    sharing = {worker for node, worker in ran.items() if "test_uses_it" in node}
    assert len(ran) == 12 and len(sharing) == 1, done.stdout.str()
    assert "test_shared.py::test_uses_it[0]@test_shared.py:built" in done.stdout.str()


# --- the groups, item by item ------------------------------------------------------------------------------


class Item:
    """Just enough of a pytest item for groups.assign."""

    def __init__(self, nodeid: str, marks=()):
        self.nodeid, self.path, self.cls = nodeid, Path(nodeid.split("::")[0]), None
        self.own_markers = list(marks)
        self._fixtureinfo = None

    def add_marker(self, mark):
        self.own_markers.append(mark.mark)

    def iter_markers(self, name):
        return (m for m in self.own_markers if m.name == name)

    def get_closest_marker(self, name):
        return next(self.iter_markers(name), None)


def group_of(item: Item) -> str | None:
    mark = item.get_closest_marker(groups.MARK)
    return mark.args[0] if mark else None


def test_items_sharing_a_key_are_one_group_transitively_and_lone_items_none(tmp_path):
    keys = {"a": ["k1"], "b": ["k1", "k2"], "c": ["k2"], "d": [], "e": ["k3"]}
    items = [Item(f"t.py::{name}") for name in keys]
    found = groups.assign(items, tmp_path, lambda item: keys[item.nodeid.split("::")[1]])
    assert found == {"k1": ["t.py::a", "t.py::b", "t.py::c"]}
    assert [group_of(i) for i in items] == ["k1", "k1", "k1", None, None]


def test_an_explicit_group_names_what_it_joins_and_two_explicit_names_joined_are_refused(tmp_path):
    named = Item("t.py::a", [pytest.mark.xdist_group("site").mark])
    joined = Item("t.py::b")
    groups.assign([named, joined], tmp_path, lambda item: ["shared-fixture"])
    assert group_of(named) == group_of(joined) == "site"
    other = Item("t.py::c", [pytest.mark.xdist_group("ports").mark])
    with pytest.raises(groups.GroupConflict, match=r"xdist_group\('ports'\) and xdist_group\('site'\)"):
        groups.assign([Item("t.py::a", [pytest.mark.xdist_group("site").mark]), other], tmp_path, lambda item: ["k"])


def _item(cls, **attributes):
    """An item of the engine's own kind with only what the ordering reads (no session needed)."""
    item = object.__new__(cls)
    item.__dict__.update(attributes)
    return item


def test_a_worker_is_handed_the_longest_items_first():
    chain = SimpleNamespace(name="host", steps=["host/01.sh", "host/02.sh"])
    ctx = SimpleNamespace(manifest=SimpleNamespace(chains={"host": chain}))

    def tier(name, snippet="a/x.sh", needs=(), chain_name=None):
        snippet = SimpleNamespace(id=snippet, chain=chain_name)
        return _item(plugin.TierItem, tier=SimpleNamespace(name=name, needs=needs), snippet=snippet)

    single, in_group = tier("static"), tier("local", "a/y.sh")
    step_2, step_1 = tier("cluster", "host/02.sh", chain_name="host"), tier("cluster", "host/01.sh", chain_name="host")
    install = tier("local", "sdk/install.sh", needs=("pypi",))
    page = _item(WalkthroughItem, walk=SimpleNamespace(clone=None))
    contributor = _item(WalkthroughItem, walk=SimpleNamespace(clone="repo"))
    size = {id(in_group): 3}
    collected = [single, in_group, step_2, step_1, install, page, contributor]
    ordered = sorted(collected, key=lambda item: plugin._worker_order(item, ctx, size.get(id(item), 1)))
    assert ordered == [contributor, page, step_1, step_2, install, in_group, single]


def test_scripts_test_keeps_the_engines_order():
    # pytest-xdist's own reordering (on by default) would put every group of two or more items before any single
    # item: the walkthroughs would start last, and one worker would be left with one at the end.
    command = (HERE.parent / "scripts" / "test").read_text(encoding="utf-8")
    assert re.search(r"^exec python -m pytest .*--dist loadgroup --no-loadscope-reorder", command, re.M)
