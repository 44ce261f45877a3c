"""Benchmark of Ctrl+C: interrupt a stand-in cluster chain at every phase of a step, count hangs and leftovers.

    scripts/bench --only interrupt [RUNS] [--deadline SECONDS]     (default: 50 runs, 120 s deadline)

Each run starts `pytest -p snipcheck.plugin` on tests/fixtures/cluster (slow-chain) with the stand-in kind,
kubectl and docker of tests/fixtures/standins on PATH, in a fresh temporary folder, as
tests/test_cluster_tier.py does, and sends SIGINT at one phase, in turn:
  before     while the harness checks the created cluster (`kubectl version -o json`), before step 2 starts
  during     while step 2 runs (`kubectl wait`)
  cleanup    while the harness deletes the cluster at the chain's end (`kind delete cluster`)
  random     at a random moment from the create step to shortly after step 2 started (no gate): this is
             where a signal can land inside a process's start or reaping
The first three hold the stand-in call at a gate file until the signal is sent, then open it.
A hang is a session not finished within the deadline (it is then killed). Leftovers, after the session:
stand-in clusters still in its state folder, live processes whose environment names the run's folder
(everything the session starts inherits it), sandboxes left in its TMPDIR. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "cluster"
STANDINS = ROOT / "tests" / "fixtures" / "standins"
VENVS = Path(os.environ.get("SNIPCHECK_VENVS", ROOT / ".venvs"))
PHASES = {  # phase -> (stand-in, argv prefix to wait for, settings)
    "before": ("kubectl", ["version", "-o", "json"], {"gate": ["version -o"], "hang": ["wait"]}),
    "during": ("kubectl", ["wait"], {"gate": ["wait"]}),
    "cleanup": ("kind", ["delete", "cluster"], {"gate": ["delete cluster"]}),
    "random": ("kind", ["create", "cluster"], {"hang": ["wait"]}),
}


def calls(bin_dir: Path, tool: str) -> list[list[str]]:
    log = bin_dir / "log.jsonl"
    rows = []
    for row in log.read_text().splitlines() if log.exists() else []:
        try:
            entry = json.loads(row)
        except ValueError:  # a line being written
            continue
        if entry["tool"] == tool:
            rows.append(entry["argv"])
    return rows


def leftover_processes(folder: Path) -> list[str]:
    needle = str(folder).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes():
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        if state not in ("Z", "X"):
            found.append(f"{entry.name} {cmdline}")
    return found


def one_run(phase: str, deadline: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-interrupt-"))
    # "The network" for the chain's needs: a listening socket, one per run (connects fill its backlog).
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        return _run_in(folder, phase, deadline, listener.getsockname()[1])
    finally:
        listener.close()
        shutil.rmtree(folder, ignore_errors=True)


def _run_in(folder: Path, phase: str, deadline: float, port: int) -> dict:
    bin_dir, home = folder / "bin", folder / "home"
    shutil.copytree(STANDINS, bin_dir)
    (home / ".kube").mkdir(parents=True)
    (folder / "tmp").mkdir()
    tool, prefix, settings = PHASES[phase]
    (bin_dir / "settings.json").write_text(json.dumps(settings))
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{VENVS / 'tools' / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "KUBECONFIG": str(home / ".kube" / "config"),
        "TMPDIR": str(folder / "tmp"),
        "SNIPCHECK_NETWORK_PROBE": f"127.0.0.1:{port}",
        "LANG": "C.UTF-8",
        "SNIPCHECK_VENVS": str(VENVS),
    }
    argv = [
        str(VENVS / "tools" / "bin" / "python"),
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
        "-q",
        "--report",
        str(folder / "report.json"),
        str(FIXTURE / "snippets" / "slow-chain"),
    ]
    output = (folder / "session.log").open("w")
    session = subprocess.Popen(
        argv, cwd=FIXTURE, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
    )
    output.close()
    result = {"phase": phase, "hang": False, "reached": True}
    while not any(call[: len(prefix)] == prefix for call in calls(bin_dir, tool)):
        if session.poll() is not None:
            result["reached"] = False
            break
        time.sleep(0.02)
    if phase == "random":
        time.sleep(random.uniform(0, 1.5))
    sent = time.monotonic()
    if session.poll() is None:
        session.send_signal(signal.SIGINT)
    (bin_dir / "gate-open").touch()
    try:
        session.wait(timeout=deadline)
    except subprocess.TimeoutExpired:
        result["hang"] = True
        os.killpg(session.pid, signal.SIGKILL)
        session.wait()
    result["seconds"] = time.monotonic() - sent
    clusters = bin_dir / "state" / "clusters"
    result["clusters"] = sorted(p.stem for p in clusters.glob("*.json")) if clusters.is_dir() else []
    result["processes"] = leftover_processes(folder)
    result["sandboxes"] = sorted(p.name for p in (folder / "tmp").iterdir())
    if not result["reached"]:  # say why (an environment being rebuilt, a broken checkout)
        result["output"] = (folder / "session.log").read_text(errors="replace")[-600:]
    for row in result["processes"]:  # never leave them to the next run
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(int(row.split()[0]), signal.SIGKILL)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="Ctrl+C at every phase of a stand-in chain step")
    parser.add_argument("runs", nargs="?", type=int, default=50)
    parser.add_argument("--deadline", type=float, default=120.0, help="seconds before a run counts as a hang")
    options = parser.parse_args()
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:  # started in the background: the sessions would inherit it
        signal.signal(signal.SIGINT, signal.default_int_handler)
    phases = list(PHASES)
    results = []
    started = time.monotonic()
    for index in range(options.runs):
        result = one_run(phases[index % len(phases)], options.deadline)
        results.append(result)
        bad = (
            result["hang"] or result["clusters"] or result["processes"] or result["sandboxes"] or not result["reached"]
        )
        if bad:
            print(f"run {index + 1} ({result['phase']}): {json.dumps(result)}", file=sys.stderr)
    print(
        f"{'phase':<10}{'runs':>6}{'hangs':>7}{'clusters left':>15}{'processes left':>16}"
        f"{'sandboxes left':>16}{'signal to exit, median/max s':>31}"
    )
    for phase in phases + ["all"]:
        rows = [r for r in results if phase in (r["phase"], "all")]
        if not rows:
            continue
        times = [r["seconds"] for r in rows if not r["hang"]]
        timing = f"{statistics.median(times):.2f} / {max(times):.2f}" if times else "-"
        print(
            f"{phase:<10}{len(rows):>6}{sum(r['hang'] for r in rows):>7}"
            f"{sum(len(r['clusters']) for r in rows):>15}{sum(len(r['processes']) for r in rows):>16}"
            f"{sum(len(r['sandboxes']) for r in rows):>16}{timing:>31}"
        )
    unreached = sum(not r["reached"] for r in results)
    print(
        f"{len(results)} runs in {time.monotonic() - started:.0f} s"
        + (f"; {unreached} ended before their phase was reached" if unreached else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
