"""The reader's session fed one step at a time (reader/fed.py), as a cluster chain runs it: what carries from
step to step, what a job (the reader's second terminal) gets, how a failing or hanging step ends the session,
and that nothing it started outlives it. Every step is a small local script."""

from __future__ import annotations

import secrets
import shlex
import socket
import time
from pathlib import Path

import pytest

from snipcheck import runner
from snipcheck.reader import cleanroom, fed
from support.processes import live_with_arg, started_with_arg


@pytest.fixture
def session(tmp_path):
    room = cleanroom.create(prefix="snipcheck-fed-test-")
    opened = fed.FedSession(room, env=room.env(), deadline=120, confine=runner.confinement())
    yield opened
    opened.close()
    room.remove()


def step_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for(condition, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def serve_after_setup(tmp_path: Path, session, port: int) -> Path:
    """Run a step that exports a variable and leaves the working folder; the server step that reports both."""
    setup = step_file(tmp_path, "setup.sh", "export ONLY_HERE=1\ncd /\n")
    session.step("shell", setup, None, 10)
    return step_file(
        tmp_path,
        "serve.sh",
        'echo "only_here=${ONLY_HERE:-unset} in $PWD"\nexec python3 -m http.server ' + f"{port} --bind 127.0.0.1\n",
    )


def test_variables_folder_and_path_carry_from_step_to_step(tmp_path, session):
    first = step_file(tmp_path, "first.sh", 'mkdir -p sub/bin && cd sub\nexport PATH="$PWD/bin:$PATH"\nNAME=demo\n')
    second = step_file(
        tmp_path, "second.sh", 'echo "$NAME in ${PWD##*/}"\ncase :$PATH: in *:"$PWD/bin":*) echo on-path;; esac\n'
    )
    assert session.step("shell", first, None, 10)[1].done
    n, done = session.step("shell", second, None, 10)
    assert (n, done.done, done.stdout) == (2, True, "demo in sub\non-path\n")
    assert done.cwd == session.room.work / "sub"


def test_the_session_has_a_readers_environment_not_the_harness(tmp_path, session):
    probe = step_file(
        tmp_path, "env.sh", 'echo "home=$HOME"\necho "venv=${VIRTUAL_ENV:-none} kube=${KUBECONFIG:-none}"\n'
    )
    done = session.step("shell", probe, None, 10)[1]
    assert done.stdout.splitlines() == [f"home={session.room.home}", "venv=none kube=none"]


def test_a_failing_step_ends_the_session_and_names_its_exit_code(tmp_path, session):
    failing = step_file(tmp_path, "fails.sh", "echo before\nfalse\necho never\n")
    n, done = session.step("shell", failing, None, 10)
    assert (done.ran, done.done, done.exit_code, done.stdout) == (True, False, 1, "before\n")
    with pytest.raises(fed.SessionEnded, match=r"the session ended \(exit code 1\) at step 1"):
        session.step("shell", failing, None, 10)


def test_a_step_past_its_timeout_kills_the_session_and_is_named(tmp_path, session):
    slow = step_file(tmp_path, "slow.sh", "echo started\nsleep 30\n")
    started = time.monotonic()
    done = session.step("shell", slow, None, 1)[1]
    assert time.monotonic() - started < 15
    assert (done.done, done.timed_out, done.stdout) == (False, 1.0, "started\n")


def test_a_job_runs_as_a_new_terminal_and_end_job_stops_it(tmp_path, session):
    port = free_port()
    serve = serve_after_setup(tmp_path, session, port)
    n, done = session.step("job", serve, None, 10)
    assert done.done  # a job's step completes once the job is started, as the reader moves on
    assert wait_for(lambda: answers(port))
    assert session.read(n).stdout == f"only_here=unset in {session.room.home}\n"
    assert session.end_job(n) is None
    assert not answers(port)  # end_job returns once the job has ended, as the reader waits for the prompt
    after = step_file(tmp_path, "after.sh", "echo still here\n")
    assert session.step("shell", after, None, 10)[1].stdout == "still here\n"


def test_nothing_the_session_started_outlives_it(tmp_path):
    room = cleanroom.create(prefix="snipcheck-fed-test-")
    token = secrets.token_hex(6)
    session = fed.FedSession(room, env=room.env(), deadline=120, confine=runner.confinement())
    # bash -c keeps the token on a live command line (`; :` stops bash from exec'ing sleep in its place)
    left = step_file(tmp_path, "left.sh", f"bash -c 'sleep 300; :' {token} &\n")
    job = step_file(tmp_path, "job.sh", f"exec bash -c 'sleep 301; :' {token}\n")
    session.step("shell", left, None, 10)
    session.step("job", job, None, 10)
    # The job step returns once its shell is started; its `exec` may come a moment later (a loaded machine).
    assert wait_for(lambda: len(started_with_arg(token)) == 2)
    session.close()
    room.remove()
    assert wait_for(lambda: live_with_arg(token) == [])


class Spec:
    """A manifest Background as FedSession.step reads it."""

    def __init__(self, port: int, *, deadline: float = 10, keep: bool = False):
        self.ready, self.deadline, self.keep = {"tcp": port}, deadline, keep


def test_a_hold_step_keeps_this_terminals_folder_and_variables_and_ctrl_c_ends_it(tmp_path, session):
    port = free_port()
    serve = serve_after_setup(tmp_path, session, port)
    n, done = session.step("hold", serve, None, 10, Spec(port))
    assert done.done and done.problem is None
    out = session.read(n).stdout  # the server's own words once Ctrl+C reached it
    assert out.startswith("only_here=1 in /\n") and out.endswith("Keyboard interrupt received, exiting.\n")
    assert not answers(port)  # keep: false, so stopped once it answered


def cleaning_server(port: int, *, before: str = "") -> str:
    """A step's text: a server that, on Ctrl+C only, takes a moment to clean up, then leaves ./cleaned."""
    program = (
        "import http.server, time\n"
        f"server = http.server.HTTPServer(('127.0.0.1', {port}), http.server.BaseHTTPRequestHandler)\n"
        "try:\n    server.serve_forever()\n"
        "except KeyboardInterrupt:\n    time.sleep(0.5)\n    open('cleaned', 'w').write('cleaned up\\n')\n"
    )
    return f"{before}exec python3 -c {shlex.quote(program)}\n"


def test_ctrl_c_lets_the_job_clean_up_and_the_next_step_waits_for_it(tmp_path, session):
    # Ctrl+C is SIGINT (a SIGTERM would end the server with no cleanup), and the reader goes on only once the
    # prompt is back: the next step already sees what the cleanup left.
    port = free_port()
    serve = step_file(tmp_path, "serve.sh", cleaning_server(port))
    done = session.step("hold", serve, None, 10, Spec(port))[1]
    assert done.done and done.problem is None and not answers(port)
    after = step_file(tmp_path, "after.sh", "cat cleaned\n")
    assert session.step("shell", after, None, 10)[1].stdout == "cleaned up\n"


def test_a_job_that_ignores_ctrl_c_is_killed_and_fails_its_step(tmp_path, session, monkeypatch):
    monkeypatch.setattr(fed, "STOP_GRACE", 1)
    port = free_port()
    deaf = step_file(tmp_path, "deaf.sh", cleaning_server(port, before="trap '' INT\n"))
    done = session.step("hold", deaf, None, 10, Spec(port))[1]
    assert done.problem == (
        "it still ran 1 s after Ctrl+C (SIGINT to its process group) and was killed;"
        " a reader's terminal would be stuck here"
    )
    assert not answers(port)
    after = step_file(tmp_path, "after.sh", "echo still here\n")
    assert session.step("shell", after, None, 10)[1].stdout == "still here\n"


def test_a_step_whose_server_never_answers_has_the_probe_as_its_problem(tmp_path, session):
    port = free_port()
    quiet = step_file(tmp_path, "quiet.sh", "exec sleep 60\n")
    done = session.step("job", quiet, None, 10, Spec(port, deadline=1))[1]
    assert done.problem and done.problem.startswith(
        f"the background step never became ready: not ready within 1 s (last probe: tcp 127.0.0.1:{port}: "
    )


def test_an_address_already_taken_before_the_step_is_its_problem_not_a_pass(tmp_path, session):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        serve = step_file(tmp_path, "serve.sh", f"exec python3 -m http.server {port} --bind 127.0.0.1\n")
        n, done = session.step("job", serve, None, 10, Spec(port))
    assert done.problem == (
        f"something already answers at 127.0.0.1:{port} before this step started; stop it and run again"
    )
    assert not done.ran  # the step itself was never sent to the session
