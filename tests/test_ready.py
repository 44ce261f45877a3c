"""reader/ready.py: probe tcp/http until ready, and give up at the deadline or when the watched step exits.
(Starting and stopping a port-forward is the reader's session's: tests/test_fed_session.py.)"""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from snipcheck.reader import ready

# A tiny HTTP server that answers with the status given as argv[2] on port argv[1].
SERVER = (
    "import http.server, sys\n"
    "class H(http.server.BaseHTTPRequestHandler):\n"
    "    def do_GET(self):\n"
    "        self.send_response(int(sys.argv[2])); self.end_headers()\n"
    "    def log_message(self, *a): pass\n"
    "http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()\n"
)


class Watched:
    """A process as wait_ready watches one (background.Watched)."""

    def __init__(self, *argv: str):
        self.popen = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.exit_code: int | None = None

    def running(self) -> bool:
        self.exit_code = self.popen.poll()
        return self.exit_code is None


@pytest.fixture
def start():
    started: list[Watched] = []

    def _start(*argv: str) -> Watched:
        started.append(Watched(*argv))
        return started[-1]

    yield _start
    for watched in started:
        watched.popen.kill()
        watched.popen.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_http_probe_accepts_the_listed_status_and_sees_redirects_unfollowed(start):
    port = free_port()
    process = start(sys.executable, "-c", SERVER, str(port), "302")
    url = f"http://127.0.0.1:{port}/"
    assert ready.wait_ready(process, {"http": url, "status": [200, 302]}, 20) == url
    assert ready.probe_once({"http": url, "status": [200]}) == f"GET {url}: status 302, expected one of [200]"


def test_a_tcp_probe_gives_the_ready_address(start):
    port = free_port()
    process = start(sys.executable, "-c", SERVER, str(port), "200")
    assert ready.wait_ready(process, {"tcp": port}, 20) == f"127.0.0.1:{port}"


def test_a_probe_that_never_succeeds_fails_at_the_deadline(start):
    port = free_port()
    process = start("sleep", "60")
    with pytest.raises(ready.NotReady, match=rf"not ready within 1 s \(last probe: tcp 127.0.0.1:{port}: "):
        ready.wait_ready(process, {"tcp": port}, 1)


def test_a_step_that_exits_before_it_is_ready_is_reported_with_its_exit_code(start):
    process = start("bash", "-c", "exit 3")
    with pytest.raises(ready.NotReady, match=r"exited with code 3 before it was ready"):
        ready.wait_ready(process, {"tcp": free_port()}, 20)
