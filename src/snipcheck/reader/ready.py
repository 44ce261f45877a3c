"""Readiness of a long-running step (a port-forward): probe tcp or http until it answers, and give up at the
deadline or as soon as the watched step has exited. Starting and stopping it is the reader's session's
(reader/fed.py: a job of the session, stopped as Ctrl+C would)."""

from __future__ import annotations

import http.client
import socket
import time
import urllib.parse
from typing import Protocol

PROBE_DELAY = 0.5  # seconds between readiness probes, at most: the one retry setting
FIRST_DELAY = 0.05  # the first pause; each next one doubles up to PROBE_DELAY (a local forward answers at once)
PROBE_TIMEOUT = 2.0  # seconds one probe may take


class NotReady(Exception):
    """A background step did not become ready; the message says why."""


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


class Watched(Protocol):
    """What wait_ready watches: a Process, or a port-forward step of a reader's session."""

    exit_code: int | None

    def running(self) -> bool: ...


def wait_ready(process: Watched, ready: dict, deadline: float) -> str:
    """Probe until ready or until deadline seconds pass; the ready address, else NotReady."""
    until = time.monotonic() + deadline
    seen = "no probe ran"
    pause = FIRST_DELAY
    while True:
        seen = probe_once(ready) or ""
        if not seen:
            return address_of(ready)
        if not process.running():
            raise NotReady(f"exited with code {process.exit_code} before it was ready (last probe: {seen})")
        if time.monotonic() >= until:
            raise NotReady(f"not ready within {deadline:g} s (last probe: {seen})")
        time.sleep(pause)
        pause = min(pause * 2, PROBE_DELAY)
