"""What this machine can do: each need of a tier is met, or missing with the exact reason."""

from __future__ import annotations

import functools
import importlib.metadata
import os
import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

# The chains download from GitHub and pull images; reaching it is what "network" means here.
# "pypi" is narrower: a step that only installs Python packages (reachable where GitHub is not).
NETWORK_PROBE = os.environ.get("SNIPCHECK_NETWORK_PROBE", "github.com:443")
PYPI_PROBE = os.environ.get("SNIPCHECK_PYPI_PROBE", "pypi.org:443")


def _first_line(text: str) -> str:
    lines = [row.strip() for row in text.strip().splitlines() if row.strip()]
    return lines[-1] if lines else "(no message)"


@functools.cache
def reachable(address: str) -> str | None:
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=3):
            return None
    except OSError as exc:
        return f"cannot reach {address} ({exc.strerror or exc})"


def network() -> str | None:
    reason = reachable(NETWORK_PROBE)
    return f"no network: {reason}" if reason else None


def pypi() -> str | None:
    reason = reachable(PYPI_PROBE)
    return f"no package index: {reason}" if reason else None


@functools.cache
def docker() -> str | None:
    if shutil.which("docker") is None:
        return "docker CLI not found on PATH"
    try:
        done = subprocess.run(
            ["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True, timeout=20
        )
    except subprocess.TimeoutExpired:
        return "docker daemon not reachable: 'docker info' did not answer within 20 s"
    if done.returncode != 0:
        return f"docker daemon not reachable: {_first_line(done.stderr or done.stdout)}"
    return None


@functools.cache
def executable(name: str) -> str | None:
    return None if shutil.which(name) else f"{name} not found on PATH"


SUDO_REASON = (
    "changes the host's kernel settings with sudo: runs only on a disposable CI runner "
    "(GITHUB_ACTIONS=true with passwordless sudo)"
)


def sudo() -> str | None:
    """Met only on a disposable CI runner (GitHub's, thrown away after the job) where sudo asks no password:
    never on a machine someone keeps, whatever its sudo allows."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return SUDO_REASON
    problem = _passwordless_sudo()
    return f"{SUDO_REASON}; {problem}" if problem else None


@functools.cache
def _passwordless_sudo() -> str | None:
    if shutil.which("sudo") is None:
        return "sudo is not on PATH"
    try:
        done = subprocess.run(["sudo", "-n", "true"], capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return "'sudo -n true' did not answer within 20 s"
    if done.returncode != 0:
        return f"'sudo -n true' failed: {_first_line(done.stderr or done.stdout)}"
    return None


CHECKS: dict[str, Callable[[], str | None]] = {
    "network": network,
    "pypi": pypi,
    "docker": docker,
    "kind": lambda: executable("kind"),
    "kubectl": lambda: executable("kubectl"),
    "cluster": lambda: None,  # a cluster is provided by the chain itself
    "sudo": sudo,
}


def missing(needs) -> str | None:
    """The reason for the first unmet need, or None when all are met."""
    for need in needs:
        reason = CHECKS[need]()
        if reason:
            return reason
    return None


def memory_gib() -> float:
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for row in info:
                if row.startswith("MemTotal:"):
                    return int(row.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


# GitHub's standard hosted runner for public repositories: 4 CPUs and 16 GB, of which the kernel reports
# a little under 16 GiB as MemTotal, so a chain declaring 16 GiB does not fit on one.
STANDARD_RUNNER = {"cpus": 4, "memory_gib": 15}
# The cluster workflow sets this on the job of a chain larger than the standard runner when no larger
# runner is configured: that chain is then skipped with this reason, whatever machine the job landed on.
NO_LARGE_RUNNER = "SNIPCHECK_NO_LARGE_RUNNER"


def exceeds_standard_runner(resources: dict) -> bool:
    return any(resources.get(key, 0) > most for key, most in STANDARD_RUNNER.items())


def describe(resources: dict) -> str:
    """A chain's declared resources as a reader writes them ("8 CPUs and 16 GiB of memory"), or ""."""
    parts = [f"{resources['cpus']} CPUs"] if "cpus" in resources else []
    parts += [f"{resources['memory_gib']} GiB of memory"] if "memory_gib" in resources else []
    return " and ".join(parts)


def short_of(resources: dict) -> str | None:
    """Why this machine is too small for a chain's declared resources, or None."""
    no_runner = os.environ.get(NO_LARGE_RUNNER, "").strip()
    if no_runner and exceeds_standard_runner(resources):
        return f"needs {describe(resources)}; {no_runner}"
    cpus, need_cpus = os.cpu_count() or 1, resources.get("cpus", 0)
    if cpus < need_cpus:
        return f"needs {need_cpus} CPUs, this machine has {cpus}"
    have, need = memory_gib(), resources.get("memory_gib", 0)
    if have < need:
        return f"needs {need} GiB of memory, this machine has {have:.1f}"
    return None


@functools.cache
def output_of(command: tuple[str, ...], timeout: float = 60) -> str:
    """What a short tool command prints (stdout, else stderr) when it succeeds; "" when absent or failing.
    Cached: a tool's version does not change within a session."""
    if shutil.which(command[0]) is None:
        return ""
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout or done.stderr) if done.returncode == 0 else ""


def version_of(command: list[str], pick: str = "") -> str | None:
    """The line a tool prints about its version (the first, or the first starting with pick), or None."""
    text = output_of(tuple(command)).strip()
    rows = [row.strip() for row in text.splitlines() if row.strip().startswith(pick)]
    return rows[0].removeprefix(pick).strip() if rows else None


def installed_version(python: Path, distribution: str) -> str | None:
    """The version of a distribution installed in the venv of python, read from its metadata on disk: asking
    the interpreter costs a process start, and every report-writing run asks for both SDK runtimes."""
    venv = python.parent.parent
    found = importlib.metadata.distributions(
        name=distribution, path=[str(p) for p in venv.glob("lib/python*/site-packages")]
    )
    return next((dist.version for dist in found), None)
