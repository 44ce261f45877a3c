"""The offline kubectl contract: each kubectl command line of a shell snippet is one the real kubectl accepts.

Each invocation runs against a dead API endpoint. kubectl checks flags, subcommands and arguments before
it connects, so a misspelt flag fails with a usage error while a correct command line fails only at the
connection. Nothing is fetched: remote `-f`/`-k` targets and files an earlier step would have written are
replaced with a small local stand-in.
"""

from __future__ import annotations

import re
import shlex
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import runner, sandbox
from . import shell_parse
from .findings import Finding
from .lint_shell import tool

DEAD_SERVER = "https://127.0.0.1:9"
TIMEOUT = 15
WORKERS = 4
CONNECTION = re.compile(
    r"connection refused|Unable to connect to the server|The connection to the server .* "
    r"was refused|dial tcp .*: connect:"
)
# Names of the reader's own cluster that the generated kubeconfig cannot know.
FOREIGN_CONTEXT = re.compile(r'context "[^"]*" does not exist|no context exists with the name')
USAGE = re.compile(
    r"unknown (flag|shorthand flag|command)|Run 'kubectl --help'|See 'kubectl .*-(h|-help)'|"
    r"invalid argument|required (flag|resource|argument)|flag needs an argument|"
    r"accepts .* arg\(s\)|expected '|must specify|Required resource not specified|"
    r"flags cannot be placed before plugin name"
)
# kubectl takes an unknown subcommand after a flag for a plugin name and says only that.
PLUGIN_LOOKUP = "flags cannot be placed before plugin name"
KUBECONFIG = f"""apiVersion: v1
kind: Config
clusters:
- name: dead
  cluster: {{server: "{DEAD_SERVER}"}}
contexts:
- name: dead
  context: {{cluster: dead, user: nobody, namespace: default}}
current-context: dead
users:
- name: nobody
  user: {{token: placeholder-token}}
"""
STAND_IN = """apiVersion: v1
kind: ConfigMap
metadata:
  name: snipcheck-stand-in
data: {}
"""
FILE_FLAGS = {"-f", "--filename"}
KUSTOMIZE_FLAGS = {"-k", "--kustomize"}


def invocations(source: str, values: dict[str, str]) -> list[shell_parse.Command]:
    # What the parser cannot read is reported once, by the tier (shell_parse.findings).
    found, _ = shell_parse.commands(source, {**shell_parse.literal_values(source), **values})
    return [c for c in found if shell_parse.program(c.words) == "kubectl"]


def _remote(target: str) -> bool:
    return "://" in target or target.startswith(("github.com/", "git@")) or "?ref=" in target


def _stand_ins(workdir: Path) -> tuple[Path, Path]:
    manifest = workdir / ".snipcheck-stand-in.yaml"
    manifest.write_text(STAND_IN)
    kustomization = workdir / ".snipcheck-kustomization"
    kustomization.mkdir(exist_ok=True)
    (kustomization / "stand-in.yaml").write_text(STAND_IN)
    (kustomization / "kustomization.yaml").write_text("resources:\n- stand-in.yaml\n")
    return manifest, kustomization


def rewrite(words: list[str], workdir: Path, heredoc: str | None, line: int = 0) -> list[str]:
    """kubectl's arguments with remote, piped and not-yet-written inputs replaced by local stand-ins."""
    manifest, kustomization = workdir / ".snipcheck-stand-in.yaml", workdir / ".snipcheck-kustomization"
    args, out, index = words[1:], [], 0
    while index < len(args):
        word = args[index]
        flag, eq, value = word.partition("=")
        if flag in FILE_FLAGS | KUSTOMIZE_FLAGS and (eq or index + 1 < len(args)):
            if not eq:
                index += 1
                value = args[index]
            out += [flag, _input(flag, value, workdir, manifest, kustomization, heredoc, line)]
        elif out == ["kustomize"] and not word.startswith("-"):
            out.append(_input("-k", word, workdir, manifest, kustomization, heredoc, line))
        else:
            out.append(word)
        index += 1
    return out


def _input(
    flag: str, value: str, workdir: Path, manifest: Path, kustomization: Path, heredoc: str | None, line: int
) -> str:
    if flag in KUSTOMIZE_FLAGS:
        return value if not _remote(value) and (workdir / value).is_dir() else str(kustomization)
    if value == "-":
        if heredoc:
            piped = workdir / f".snipcheck-stdin-{line}.yaml"
            piped.write_text(heredoc)
            return str(piped)
        return str(manifest)
    return value if not _remote(value) and (workdir / value).exists() else str(manifest)


def classify(result: runner.RunResult) -> str | None:
    """None when kubectl accepted the command line (it ran, or failed only for want of a cluster)."""
    output = result.stdout + result.stderr
    if result.timed_out:
        return f"kubectl did not finish within {TIMEOUT} s against a dead API server"
    if result.exit_code == 0 or CONNECTION.search(output) or FOREIGN_CONTEXT.search(output):
        return None
    first = next((row.strip() for row in output.splitlines() if row.strip()), "(no output)")
    if PLUGIN_LOOKUP in output:
        return (
            f"kubectl rejects this command line: {first} (it found no subcommand of that name and "
            "looked for a plugin: is the subcommand misspelt?)"
        )
    if USAGE.search(output):
        return f"kubectl rejects this command line: {first}"
    return f"kubectl failed for another reason than the missing cluster: {first}"


def check(source: str, venvs: Path, group_dir: Path, values: dict[str, str]) -> tuple[list[Finding], int]:
    """Findings for every kubectl command line of the snippet, and how many were run."""
    found = invocations(source, values)
    if not found:
        return [], 0
    box = sandbox.create([group_dir])
    try:
        box.kubeconfig.write_text(KUBECONFIG)
        _stand_ins(box.workdir)
        kubectl = tool(venvs, "kubectl")
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            results = list(pool.map(lambda c: _run_one(c, kubectl, box), found))
    finally:
        box.remove()
    return [f for f in results if f is not None], len(found)


def _run_one(command: shell_parse.Command, kubectl: str, box: sandbox.Sandbox) -> Finding | None:
    args = _with_request_timeout(rewrite(command.words, box.workdir, command.stdin, command.line))
    # stdin is empty (runner.run): a kubectl that would read the terminal must not wait for it.
    result = runner.run([kubectl, *args], cwd=box.workdir, env=box.env(), timeout=TIMEOUT)
    problem = classify(result)
    if problem is None:
        return None
    shown = " ".join(["kubectl", *command.words[1:]])
    return Finding(
        command.line,
        f"`{shown}`: {problem}",
        shlex.join(["kubectl", *args]),
        result.exit_code,
        (result.stdout + result.stderr).strip(),
    )


def _with_request_timeout(args: list[str]) -> list[str]:
    # After the subcommand (before any `--`): a flag ahead of an unknown subcommand would hide kubectl's
    # "unknown command" message behind a plugin-lookup error.
    cut = args.index("--") if "--" in args else len(args)
    return args[:cut] + ["--request-timeout=2s"] + args[cut:]
