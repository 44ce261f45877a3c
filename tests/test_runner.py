"""runner.run: a missing tool is a result, a signal never leaves a group behind, confined steps leave nothing."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from snipcheck import runner
from support.processes import live_with_arg

ENV = {"PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8"}


def escape(how: str, arg: str) -> list[str]:
    """A step that starts `sleep arg` out of its process group (how: a setsid form) and waits until it has
    left the group, so the group kill at its end cannot take it down first."""
    return [
        "bash",
        "-c",
        f"{how} sh -c 'touch escaped; exec sleep {arg}'; until [ -e escaped ]; do sleep 0.01; done; echo started",
    ]


def unique_sleep() -> str:
    """A sleep length no other process uses, so a leftover is found by its command line."""
    return f"1000.{secrets.randbelow(10**6):06d}"


@pytest.fixture(scope="module")
def namespace() -> list[str]:
    prefix = runner.confinement({})
    if not prefix:
        pytest.skip("this machine allows no PID namespace (unshare refused both forms)")
    return prefix


def test_a_tool_not_on_path_is_a_result_with_exit_code_127(tmp_path):
    done = runner.run(["kubectl-not-installed", "version"], cwd=tmp_path, env=ENV, timeout=10)
    assert done.exit_code == 127 and done.missing_tool == "kubectl-not-installed"
    assert done.stderr == "kubectl-not-installed: command not found (not on PATH)"
    assert "\n" not in done.stderr


def test_the_tool_is_looked_up_on_the_commands_own_path(tmp_path):
    done = runner.run(["bash", "-c", "true"], cwd=tmp_path, env={"PATH": str(tmp_path)}, timeout=10)
    assert done.missing_tool == "bash" and done.exit_code == 127


def test_a_signal_while_held_is_raised_after_the_block(tmp_path):
    finished = []
    with pytest.raises(KeyboardInterrupt), runner.signals_held():
        signal.raise_signal(signal.SIGINT)
        finished.append(True)
    assert finished == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_ctrl_c_while_the_command_is_being_started_still_kills_its_group(tmp_path, monkeypatch):
    # Ctrl+C landing inside sh's spawn, after the fork: before the fix the group was never known or killed.
    arg = unique_sleep()
    real = runner.sh.Command

    class SignalledDuringSpawn:
        def __init__(self, path):
            self.command = real(path)

        def __call__(self, *args, **kwargs):
            process = self.command(*args, **kwargs)
            signal.raise_signal(signal.SIGINT)
            return process

    monkeypatch.setattr(runner.sh, "Command", SignalledDuringSpawn)
    with pytest.raises(KeyboardInterrupt):
        runner.run(["bash", "-c", f"sleep {arg} & sleep {arg}"], cwd=tmp_path, env=ENV, timeout=600)
    assert live_with_arg(arg) == []


def test_a_ctrl_c_while_the_command_runs_kills_its_group_then_is_raised_outside_sh(tmp_path):
    arg = unique_sleep()
    with pytest.raises(KeyboardInterrupt) as caught:
        runner.run(["bash", "-c", f"sleep {arg} & kill -INT $PPID; sleep {arg}"], cwd=tmp_path, env=ENV, timeout=600)
    assert live_with_arg(arg) == []
    # pytest reports an interrupt with each frame's arguments; sh's RunningCommand repr waits for its process.
    assert [entry for entry in caught.traceback if Path(entry.path).parent.name == "sh"] == []
    assert "KeyboardInterrupt" in str(caught.getrepr(funcargs=True))


def test_a_timeout_kills_the_whole_group(tmp_path):
    arg = unique_sleep()
    done = runner.run(["bash", "-c", f"sleep {arg} & sleep {arg}"], cwd=tmp_path, env=ENV, timeout=0.5)
    assert done.timed_out and live_with_arg(arg) == []


def test_in_a_pid_namespace_a_setsid_process_does_not_outlive_the_step(tmp_path, namespace):
    arg = unique_sleep()
    done = runner.run(escape("setsid -f", arg), cwd=tmp_path, env=ENV, timeout=60, confine=namespace)
    assert done.exit_code == 0 and done.stdout == "started\n"
    assert done.leftovers == [] and live_with_arg(arg) == []


def test_without_a_namespace_an_escaped_process_is_named_and_killed(tmp_path):
    # confine=[]: what a machine that forbids unprivileged user namespaces gets.
    arg = unique_sleep()
    done = runner.run(escape("setsid -f", arg), cwd=tmp_path, env=ENV, timeout=60, confine=[])
    assert done.exit_code == 0
    assert len(done.leftovers) == 1 and done.leftovers[0].endswith(f"sleep {arg}")
    assert live_with_arg(arg) == []


def test_a_double_fork_is_caught_too(tmp_path):
    arg = unique_sleep()
    done = runner.run(
        [
            "bash",
            "-c",
            f"( ( setsid sh -c 'touch escaped; exec sleep {arg}' & ) & ); until [ -e escaped ]; do sleep 0.01; done",
        ],
        cwd=tmp_path,
        env=ENV,
        timeout=60,
        confine=[],
    )
    assert len(done.leftovers) == 1 and done.leftovers[0].endswith(f"sleep {arg}")
    assert live_with_arg(arg) == []


def test_the_fallback_can_be_forced():
    assert runner.confinement({runner.NO_NAMESPACE_ENV: "1"}) == []


def test_the_ctrl_c_tests_hold_in_a_suite_started_in_the_background():
    # `scripts/test > log &` starts pytest with SIGINT ignored, as a shell does for a background job; without
    # tests/conftest.py restoring it, these three tests fail there (and pass in a terminal).
    names = "signal_while_held or command_is_being_started or command_runs_kills"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "0", "-k", names, __file__],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    assert done.returncode == 0 and "3 passed" in done.stdout, done.stdout[-3000:] + done.stderr
