"""Browser walks of a chain's web UI: the harness's own check that a page's UI steps work as written.

A step's cluster tier may name one (`ui_walk: {name: kfp-ui, timeout: 1500}` in checks.yaml); after the step
passes, the cluster tier runs the walk in its own process group with a deadline. The walk (a module run
with `python -m`) drives Chromium through Playwright and saves, at each point the page describes, a PNG and
a sidecar JSON (the format below) into a fresh folder. Only a walk that finished replaces the published set
`<reports>/screenshots/<name>/`, which the cluster workflow uploads and the site shows; a failed walk's
screenshots go to the evidence folder instead, so the site never shows a half walk as if it were the result.

Sidecar `NN-what.json` beside `NN-what.png` (read by site/screenshots.py, which imports nothing from here):
`walk`, `order`, `what`, `caption` ({en, ko}), `taken` (UTC, ISO 8601 with Z), `url` (the UI's address at
that point), `kfp_version` and `kfp_version_from` ("ui" or "chain pin"), `image` (the PNG's file name).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .. import runner
from ..errors import tail
from ..manifest import UiWalk

CHROMIUM_ENV = "SNIPCHECK_CHROMIUM"  # a browser binary to use instead of looking for one
# Debian's chromium (as the site's browser test), then the names other systems give it.
BROWSERS = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MARGIN = 30.0  # seconds the walk keeps for itself inside its deadline: its last screenshot and its report


@dataclass(frozen=True)
class Walk:
    module: str  # run as `python -m module --url ... --package ... --out ... --browser ... --deadline ...`
    url_from: str  # the variable an earlier background step exports (the port-forward's address)
    package: str  # a file an earlier step leaves in the chain's working folder
    pin: tuple[str, str]  # (file of the chain's folder, regex): the version the chain installs


WALKS = {
    "kfp-ui": Walk(
        module="snipcheck.cluster.kfp_ui_walk",
        url_from="KFP_HOST",
        package="pipeline_v2.yaml",
        pin=("04-install-pipelines.sh", r"^PIPELINE_VERSION=(\S+)"),
    ),
}


@dataclass
class Outcome:
    problem: str | None  # why the walk failed, else None
    command: str = ""
    output: str = ""
    details: list[str] = field(default_factory=list)


def browser() -> str | None:
    """The Chromium the walk drives: $SNIPCHECK_CHROMIUM, else the first of BROWSERS found."""
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for name in BROWSERS:
        found = name if Path(name).is_file() else shutil.which(name)
        if found:
            return found
    return None


def missing(walk: UiWalk | None) -> str | None:
    """Why the walk cannot run on this machine (so its step is skipped with that reason), else None."""
    if walk is None:
        return None
    if walk.name not in WALKS:
        return f"unknown UI walk {walk.name!r} (known: {', '.join(sorted(WALKS))})"
    if importlib.util.find_spec("playwright") is None:
        return f"the UI walk {walk.name} needs the Python package playwright (requirements/tools.in)"
    if browser() is None:
        where = os.environ.get(CHROMIUM_ENV) or ", ".join(BROWSERS)
        return f"the UI walk {walk.name} needs Chromium: not found ({where}; set {CHROMIUM_ENV} to choose one)"
    return None


def pinned_version(workdir: Path, pin: tuple[str, str]) -> str | None:
    """The version the chain's install step pins, read from its file in the working folder."""
    path = workdir / pin[0]
    if not path.is_file():
        return None
    found = re.search(pin[1], path.read_text(encoding="utf-8", errors="replace"), re.MULTILINE)
    return found.group(1) if found else None


def command(walk: UiWalk, spec: Walk, *, url: str, package: Path, out: Path, pin: str | None) -> list[str]:
    argv = [sys.executable, "-m", spec.module, "--url", url, "--package", str(package), "--out", str(out)]
    argv += ["--browser", browser() or "", "--deadline", f"{max(walk.timeout - MARGIN, 1.0):g}"]
    return argv + (["--kfp-pin", pin] if pin else [])


def run(walk: UiWalk, *, workdir: Path, exports: dict, shots_root: Path, evidence_root: Path) -> Outcome:
    """Run the walk; on success its screenshots replace shots_root/<name>, else they go to evidence_root."""
    spec = WALKS[walk.name]
    url = exports.get(spec.url_from)
    if not url:
        return Outcome(f"UI walk {walk.name}: no earlier step exported {spec.url_from} (the port-forward's address)")
    package = workdir / spec.package
    if not package.is_file():
        return Outcome(
            f"UI walk {walk.name}: {spec.package} is not in the chain's working folder (an earlier step makes it)"
        )
    partial = shots_root / f".{walk.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    argv = command(walk, spec, url=url, package=package, out=partial, pin=pinned_version(workdir, spec.pin))
    done = runner.run(argv, cwd=workdir, env=dict(os.environ), timeout=walk.timeout)
    output = done.stdout + done.stderr
    if done.timed_out or done.exit_code != 0:
        kept = _keep_as_evidence(partial, evidence_root, walk.name)
        why = f"did not finish within {walk.timeout:g} s" if done.timed_out else _last_line(done.stderr, done.exit_code)
        return Outcome(
            f"UI walk {walk.name} failed: {why}",
            " ".join(argv),
            tail(output),
            [f"the walk's screenshots so far: {kept}"],
        )
    _publish(partial, shots_root / walk.name)
    return Outcome(None, " ".join(argv), output)


def _last_line(stderr: str, exit_code: int) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else f"exit code {exit_code}"


def _keep_as_evidence(partial: Path, evidence_root: Path, name: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = evidence_root / f"ui-walk-{name}-{stamp}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(partial), dest)
    return dest


def _publish(partial: Path, dest: Path) -> None:
    """Replace the published set by the new one; the old set is removed only once the new one is complete."""
    old = dest.with_name(f".{dest.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        dest.rename(old)
    partial.rename(dest)
    shutil.rmtree(old, ignore_errors=True)


class Shots:
    """What a walk module uses to keep its points: a PNG and its sidecar, numbered in the walk's order."""

    def __init__(self, out: Path, walk: str, kfp_version: str | None, version_from: str | None) -> None:
        self.out, self.walk = out, walk
        self.kfp_version, self.version_from = kfp_version, version_from
        self.order = 0

    def take(self, page, what: str, caption: dict, full_page: bool = False) -> Path:
        self.order += 1
        stem = f"{self.order:02d}-{what}"
        image = self.out / f"{stem}.png"
        page.screenshot(path=str(image), full_page=full_page)
        sidecar = {
            "walk": self.walk,
            "order": self.order,
            "what": what,
            "caption": {"en": caption["en"], "ko": caption["ko"]},
            "taken": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "url": page.url,
            "kfp_version": self.kfp_version,
            "kfp_version_from": self.version_from,
            "image": image.name,
        }
        (self.out / f"{stem}.json").write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n", "utf-8")
        return image


def deadline_after(seconds: float) -> float:
    """A monotonic deadline, for the walk modules' waits."""
    return time.monotonic() + seconds
