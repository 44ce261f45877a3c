"""The floor under the static tier: the raw tool runs it wraps, on the same shell snippets, without pytest,
the engine's bookkeeping or the report: `bash -n` and shellcheck per snippet, and kubectl per kubectl call
against a dead API server, as many at once as the machine has cores."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from timing import ROOT, VENVS, Timed, run

from snipcheck.static import kubectl_contract

RCFILE = ROOT / ".shellcheckrc"


def shell_snippets() -> list[Path]:
    return sorted((ROOT / "snippets").rglob("*.sh"))


def static_items(snippets: list[Path]) -> list[str]:
    """The static tier's pytest ids of these snippets (snippets/<group>/checks.yaml::<file>::static)."""
    return [f"{p.parent.relative_to(ROOT).as_posix()}/checks.yaml::{p.name}::static" for p in snippets]


def _commands(snippets: list[Path], workdir: Path) -> list[list[str]]:
    kubectl = shutil.which("kubectl", path=str(VENVS / "tools" / "bin")) or "kubectl"
    shellcheck = shutil.which("shellcheck", path=str(VENVS / "tools" / "bin")) or "shellcheck"
    commands = []
    for path in snippets:
        commands += [["bash", "-n", str(path)], [shellcheck, f"--rcfile={RCFILE}", "--shell=bash", str(path)]]
        source = path.read_text(encoding="utf-8")
        for call in kubectl_contract.invocations(source, {}):
            args = kubectl_contract.rewrite(call.words, workdir, call.stdin, call.line)
            commands.append([kubectl, *args, "--request-timeout=2s"])
    return commands


def raw_tools(snippets: list[Path]) -> tuple[Timed, int]:
    """Wall time of every raw tool run, nproc at a time, and how many runs that was."""
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        workdir = Path(tmp)
        (workdir / "kubeconfig").write_text(kubectl_contract.KUBECONFIG)
        kubectl_contract._stand_ins(workdir)  # the same local stand-ins the tier gives remote -f/-k targets
        commands = _commands(snippets, workdir)
        env = {"KUBECONFIG": str(workdir / "kubeconfig"), "HOME": str(workdir)}
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(lambda argv: run(argv, cwd=workdir, env=env, timeout=60), commands))
        return Timed(time.perf_counter() - start, 0, ""), len(commands)
