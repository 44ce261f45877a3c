"""Long-running steps (a port-forward): start in their own process group, probe until ready, stop that group.

The one primitive for anything a chain leaves running. Output goes to a log file so a step that never
becomes ready can be reported with its last lines. Stopping sends SIGINT to the group, as Ctrl+C would,
then SIGKILL after a grace period, then to anything still carrying the step's marker variable (a child
that left the group with setsid). No PID namespace here: a kept step's forward must outlive its script.
Starting and stopping hold Ctrl+C and SIGTERM, so a group is never started unregistered or half stopped.
A `Processes` registry (the cluster tier keeps one on the session) knows every group started and not
yet stopped, so the session's end stops them all.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sh

from ..errors import tail
from ..runner import ALL_EXIT_CODES, MARKER, kill_group, kill_marked, signals_held

PROBE_DELAY = 0.5  # seconds between readiness probes: the one retry setting
STOP_GRACE = 10.0  # seconds a stopped group gets to exit after SIGINT before SIGKILL
PROBE_TIMEOUT = 2.0  # seconds one probe may take


class NotReady(Exception):
    """A background step did not become ready; the message says why."""


@dataclass
class Process:
    argv: list[str]
    pgid: int
    log: Path
    handle: Any = field(repr=False)  # sh's RunningCommand (its repr waits for the process)
    exit_code: int | None = None
    marker: str | None = None

    def running(self) -> bool:
        # Held: a KeyboardInterrupt raised inside sh can leave its wait lock taken, and pytest's report of
        # it reprs sh's RunningCommand, which waits for the process: a hang.
        with signals_held():
            if self.exit_code is None and not self.handle.is_alive():
                self.handle.wait()
                self.exit_code = self.handle.exit_code
        return self.exit_code is None

    def output(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""


def start(argv: list[str], *, cwd: Path, env: dict, log: Path) -> Process:
    """Start argv as the leader of a new session (so of its own group); output goes to log."""
    log.parent.mkdir(parents=True, exist_ok=True)
    marker = secrets.token_hex(8)
    handle = sh.Command(argv[0])(
        *argv[1:],
        _bg=True,
        _bg_exc=False,
        _new_session=True,
        _out=str(log),
        _err_to_out=True,
        _ok_code=ALL_EXIT_CODES,
        _cwd=str(cwd),
        _env={**env, MARKER: marker},
    )
    return Process(list(argv), handle.pid, log, handle, marker=marker)


def address_of(ready: dict) -> str:
    """The address a ready probe reaches: the URL for http, host:port for tcp."""
    if "http" in ready:
        return str(ready["http"])
    host, port = _host_port(ready["tcp"])
    return f"{host}:{port}"


def _host_port(target) -> tuple[str, int]:
    text = str(target)
    host, _, port = text.rpartition(":")
    return (host or "127.0.0.1"), int(port)


def probe_once(ready: dict) -> str | None:
    """None when the probe succeeds, else what it saw."""
    if "http" in ready:
        return _probe_http(str(ready["http"]), ready.get("status", [200]))
    host, port = _host_port(ready["tcp"])
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT):
            return None
    except OSError as exc:
        return f"tcp {host}:{port}: {exc.strerror or exc}"


def _probe_http(url: str, accepted) -> str | None:
    # http.client, not urllib: a redirect (302 to a login page) must be seen, not followed.
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname or "127.0.0.1", parts.port, timeout=PROBE_TIMEOUT)
    try:
        connection.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException) as exc:
        return f"GET {url}: {getattr(exc, 'strerror', None) or exc}"
    finally:
        connection.close()
    accepted = [int(code) for code in (accepted if isinstance(accepted, list) else [accepted])]
    return None if status in accepted else f"GET {url}: status {status}, expected one of {accepted}"


def wait_ready(process: Process, ready: dict, deadline: float) -> str:
    """Probe until ready or until deadline seconds pass; the ready address, else NotReady."""
    until = time.monotonic() + deadline
    seen = "no probe ran"
    while True:
        seen = probe_once(ready) or ""
        if not seen:
            return address_of(ready)
        if not process.running():
            raise NotReady(f"exited with code {process.exit_code} before it was ready (last probe: {seen})")
        if time.monotonic() >= until:
            raise NotReady(f"not ready within {deadline:g} s (last probe: {seen})")
        time.sleep(PROBE_DELAY)


def wait_exit(process: Process, timeout: float) -> bool:
    """Wait up to timeout seconds for the group's leader to exit; whether it did."""
    until = time.monotonic() + timeout
    while process.running() and time.monotonic() < until:
        time.sleep(0.05)
    return not process.running()


def stop(process: Process, grace: float = STOP_GRACE) -> None:
    """Stop the group as Ctrl+C would, then SIGKILL whatever is left after grace seconds."""
    with signals_held():
        _stop(process, grace)


def _stop(process: Process, grace: float) -> None:
    if process.running():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pgid, signal.SIGINT)
        until = time.monotonic() + grace
        while process.running() and time.monotonic() < until:
            time.sleep(0.05)
    # The leader may be gone while a child it started (kubectl ... &) lives on in the same group.
    kill_group(process.pgid)
    if process.marker:
        kill_marked(process.marker)
    if process.running():
        process.handle.wait()
        process.exit_code = process.handle.exit_code


class Processes:
    """The background groups one session started and has not stopped yet."""

    def __init__(self) -> None:
        self.live: dict[int, Process] = {}

    def start(self, argv: list[str], *, cwd: Path, env: dict, log: Path) -> Process:
        with signals_held():
            process = start(argv, cwd=cwd, env=env, log=log)
            self.live[process.pgid] = process
        return process

    def stop(self, process: Process, grace: float = STOP_GRACE) -> None:
        stop(process, grace)
        self.live.pop(process.pgid, None)

    def stop_all(self) -> None:
        for process in list(self.live.values()):
            self.stop(process, grace=2.0)


def output_tail(process: Process) -> str:
    return tail(process.output())
