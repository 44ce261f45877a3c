"""background.py: start in a new process group, probe tcp/http until ready, stop exactly that group."""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

import pytest

from snipcheck.cluster import background
from support.processes import alive

# A tiny HTTP server that answers with the status given as argv[2] on port argv[1].
SERVER = (
    "import http.server, sys\n"
    "class H(http.server.BaseHTTPRequestHandler):\n"
    "    def do_GET(self):\n"
    "        self.send_response(int(sys.argv[2])); self.end_headers()\n"
    "    def log_message(self, *a): pass\n"
    "print('serving', flush=True)\n"
    "http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()\n"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def wait_for_output(process, text: str) -> None:
    until = time.monotonic() + 20
    while text not in process.output():
        assert time.monotonic() < until, f"{text!r} never appeared; output: {process.output()!r}"
        time.sleep(0.05)


def settled(found, within: float = 5.0):
    """found() once it is empty or the time is up: SIGKILL is delivered asynchronously."""
    until = time.monotonic() + within
    while found() and time.monotonic() < until:
        time.sleep(0.05)
    return found()


@pytest.fixture
def processes():
    return background.Processes()


@pytest.fixture
def start(tmp_path, processes):
    started = []

    def _start(*argv):
        process = processes.start(list(argv), cwd=tmp_path, env=dict(os.environ), log=tmp_path / "out.log")
        started.append(process)
        return process

    yield _start
    for process in started:
        processes.stop(process, grace=1)


def test_an_http_probe_accepts_the_listed_status_and_sees_redirects_unfollowed(start):
    port = free_port()
    process = start(sys.executable, "-c", SERVER, str(port), "302")
    url = f"http://127.0.0.1:{port}/"
    assert background.wait_ready(process, {"http": url, "status": [200, 302]}, 20) == url
    assert background.probe_once({"http": url, "status": [200]}) == f"GET {url}: status 302, expected one of [200]"


def test_a_tcp_probe_gives_the_address_to_export(start):
    port = free_port()
    process = start(sys.executable, "-c", SERVER, str(port), "200")
    assert background.wait_ready(process, {"tcp": port}, 20) == f"127.0.0.1:{port}"


def test_a_probe_that_never_succeeds_fails_at_the_deadline_with_the_output_kept(start):
    port = free_port()
    process = start("bash", "-c", "echo starting; exec sleep 60")
    with pytest.raises(background.NotReady, match=rf"not ready within 1 s \(last probe: tcp 127.0.0.1:{port}: "):
        background.wait_ready(process, {"tcp": port}, 1)
    assert "starting" in background.output_tail(process)


def test_a_step_that_exits_before_it_is_ready_is_reported_with_its_exit_code(start):
    process = start("bash", "-c", "echo cannot bind >&2; exit 3")
    with pytest.raises(background.NotReady, match=r"exited with code 3 before it was ready"):
        background.wait_ready(process, {"tcp": free_port()}, 20)
    assert "cannot bind" in process.output()


def test_stop_ends_the_whole_group_and_nothing_else(start, processes):
    # The leader starts two children and waits, as a script with `kubectl port-forward ... &` would.
    process = start("bash", "-c", "sleep 300 & sleep 301 & echo started; wait")
    wait_for_output(process, "started")
    members = group_members(process.pgid)
    assert len(members) == 3 and os.getpgid(0) != process.pgid
    processes.stop(process, grace=2)
    assert settled(lambda: [pid for pid in members if alive(pid)]) == []
    assert not process.running() and process.pgid not in processes.live


def test_stop_sends_sigint_first_so_a_forward_can_exit_cleanly(start):
    process = start(
        sys.executable,
        "-c",
        "import signal, sys, time\n"
        "signal.signal(signal.SIGINT, lambda *a: (print('got SIGINT', flush=True), sys.exit(0)))\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n",
    )
    wait_for_output(process, "ready")
    background.stop(process, grace=5)
    assert "got SIGINT" in process.output() and process.exit_code == 0


def test_stop_all_stops_every_group_still_running(start, processes):
    first, second = start("sleep", "300"), start("sleep", "301")
    processes.stop_all()
    assert processes.live == {}
    assert settled(lambda: [p.pgid for p in (first, second) if alive(p.pgid)]) == []
