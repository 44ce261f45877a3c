"""The Kubeflow Pipelines UI walk (`ui_walk: {name: kfp-ui}`): the use-pipelines page's UI steps, in Chromium.

Run by the cluster tier (cluster/ui_walk.py) once the pipelines-only chain has its port-forward and
pipeline_v2.yaml: upload the package as a new pipeline, create a KFP experiment from the pipeline's page,
start a Run, wait (within the deadline) for it to succeed, then open its graph, the Logs tab and the
Input/Output tab of the step `multiply`, with a screenshot and a sidecar at each point. Exit 0 when every point
was reached; else one line on stderr saying which point failed, and a screenshot of the screen at that moment.

The labels and routes below were read in kubeflow/pipelines' frontend at tag 2.16.1, the release the chain
installs (snippets/pipelines-only/04-install-pipelines.sh):
- src/lib/Buttons.ts: toolbar buttons "Upload pipeline" (uploadBtn), "Create experiment" (newExperimentBtn);
- src/pages/NewPipelineVersion.tsx: radio "Upload a file" (the form starts on "Import by url"), text field
  "Pipeline Name", a Dropzone file input, button "Create", then #/pipelines/details/<id>/version/<id>;
- src/pages/NewExperiment.tsx: field "Experiment name", button "Next", which opens #/runs/new with that
  experiment and the pipeline already chosen;
- src/pages/NewRunV2.tsx: field "Run name", button "Start" (enabled once the template has loaded), then
  #/runs/details/<run id>;
- src/pages/RunDetailsV2.tsx and src/components/graph/ExecutionNode.tsx: the graph's task node is a div whose
  title is the task name; src/components/tabs/RuntimeNodeDetailsV2.tsx: side panel tabs "Input/Output",
  "Task Details", "Logs"; src/components/tabs/InputOutputTab.tsx: "Output Parameters"; LogViewer: #logViewer;
- frontend/server/app.ts: /apis/v2beta1/healthz gives apiServerTagName and frontendTagName (the version the
  side menu shows); the Run's state is read from /apis/v2beta1/runs/<id>, through the same address.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import secrets
import sys
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from .ui_walk import Shots, deadline_after

WALK = "kfp-ui"
STEP = "multiply"  # the step whose logs and outputs are opened: (1.0 + 2.0) * 14.0
OUTPUT = re.compile(r"\b42(\.0+)?\b")
TERMINAL = {"SUCCEEDED", "FAILED", "SKIPPED", "CANCELED"}
POLL = 5.0  # seconds between two reads of the Run's state
UI_WAIT = 60_000  # milliseconds a screen may take to show what the walk waits for
CAPTIONS = {
    "pipeline-graph": {
        "en": "The uploaded pipeline: its graph with the steps add and multiply",
        "ko": "올린 파이프라인의 그래프: add와 multiply 두 단계",
    },
    "new-run": {
        "en": "The new Run form, with the new KFP experiment and the pipeline already chosen",
        "ko": "새 Run 양식: 방금 만든 KFP 실험과 파이프라인이 이미 골라져 있음",
    },
    "run-succeeded": {
        "en": "The Run's graph once both steps succeeded",
        "ko": "두 단계가 모두 성공한 뒤의 Run 그래프",
    },
    "step-logs": {
        "en": "The Logs tab of the step multiply",
        "ko": "multiply 단계의 Logs 탭",
    },
    "step-outputs": {
        "en": "The Input/Output tab of multiply: its output 42.0 (this pipeline has no file artifacts)",
        "ko": "multiply의 Input/Output 탭: 출력 42.0(이 파이프라인에는 파일 아티팩트가 없음)",
    },
    "failure": {
        "en": "The screen when the walk stopped",
        "ko": "점검이 멈춘 때의 화면",
    },
}


class WalkError(Exception):
    """A point of the walk was not reached; the message says which and what was seen."""


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the Pipelines UI (the chain's port-forward)")
    parser.add_argument("--package", required=True, type=Path, help="the compiled pipeline_v2.yaml")
    parser.add_argument("--out", required=True, type=Path, help="folder for the screenshots and sidecars")
    parser.add_argument("--browser", required=True, help="the Chromium binary")
    parser.add_argument("--deadline", type=float, default=1200.0, help="seconds for the whole walk")
    parser.add_argument("--kfp-pin", default=None, help="the KFP version the chain installs (if the UI says none)")
    return parser.parse_args(argv)


def version(page, base: str, pin: str | None) -> tuple[str | None, str | None]:
    """The KFP version the UI reports (as its side menu shows it), else the chain's pin."""
    try:
        info = page.request.get(f"{base}/apis/v2beta1/healthz").json()
    except Exception:  # noqa: BLE001 -- any failure falls back to the pin, which the sidecar says
        info = {}
    found = info.get("apiServerTagName") or info.get("frontendTagName") if isinstance(info, dict) else None
    if found and found != "unknown":
        return str(found), "ui"
    return (pin, "chain pin") if pin else (None, None)


def upload(page, base: str, package: Path, name: str) -> None:
    page.goto(f"{base}/#/pipelines")
    page.get_by_role("button", name="Upload pipeline").click()
    page.wait_for_url(re.compile(r"#/pipeline_versions/new"))
    page.get_by_role("textbox", name="Pipeline Name").fill(name)
    page.get_by_label("Upload a file").check()
    page.locator("input[type=file]").set_input_files(str(package))
    page.get_by_role("button", name="Create", exact=True).click()
    page.wait_for_url(re.compile(r"#/pipelines/details/"), timeout=UI_WAIT)
    page.get_by_title(STEP, exact=True).first.wait_for(timeout=UI_WAIT)


def new_run(page, experiment: str, run_name: str) -> None:
    page.get_by_role("button", name="Create experiment").click()
    page.get_by_role("textbox", name="Experiment name").fill(experiment)
    page.get_by_role("button", name="Next", exact=True).click()
    page.wait_for_url(re.compile(r"#/runs/new"), timeout=UI_WAIT)
    page.get_by_role("textbox", name="Run name").fill(run_name)
    # Start stays disabled until the pipeline's template has loaded
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_enabled(timeout=UI_WAIT)


def start_run(page) -> str:
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url(re.compile(r"#/runs/details/[^/?]+"), timeout=UI_WAIT)
    found = re.search(r"#/runs/details/([^/?]+)", page.url)
    if not found:
        raise WalkError(f"after Start, the address has no run id: {page.url}")
    return found.group(1)


def wait_for_run(page, base: str, run_id: str, until: float) -> None:
    while True:  # read at least once, however little time is left
        state = str(page.request.get(f"{base}/apis/v2beta1/runs/{run_id}").json().get("state", "unknown"))
        if state in TERMINAL or time.monotonic() >= until:
            break
        time.sleep(POLL)
    if state != "SUCCEEDED":
        ended = "ended" if state in TERMINAL else "was still"
        raise WalkError(f"Run {run_id} {ended} {state} (expected SUCCEEDED)")


def show_graph(page):
    """The Run's page afresh (the graph reads the steps' final states), and the node of STEP on it."""
    page.reload()
    node = page.get_by_title(STEP, exact=True).first
    node.wait_for(timeout=UI_WAIT)
    return node


def walk(page, args: argparse.Namespace, shots: Shots, until: float) -> None:
    base = args.url.rstrip("/")
    suffix = secrets.token_hex(3)  # a retry on the same cluster must not collide with the names it made
    upload(page, base, args.package, f"week6-pipeline-ui-{suffix}")
    shots.take(page, "pipeline-graph", CAPTIONS["pipeline-graph"])
    new_run(page, f"week6-ui-{suffix}", f"week6-from-ui-{suffix}")
    shots.take(page, "new-run", CAPTIONS["new-run"], full_page=True)
    run_id = start_run(page)
    wait_for_run(page, base, run_id, until)
    node = show_graph(page)
    shots.take(page, "run-succeeded", CAPTIONS["run-succeeded"])
    node.click()
    page.get_by_role("button", name="Logs", exact=True).click()
    page.locator("#logViewer").wait_for(timeout=UI_WAIT)
    shots.take(page, "step-logs", CAPTIONS["step-logs"])
    page.get_by_role("button", name="Input/Output", exact=True).click()
    page.get_by_text("Output Parameters").wait_for(timeout=UI_WAIT)
    page.get_by_text(OUTPUT).first.wait_for(timeout=UI_WAIT)
    shots.take(page, "step-outputs", CAPTIONS["step-outputs"])


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    until = deadline_after(args.deadline)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=args.browser, args=["--no-sandbox", "--disable-gpu"])
        page = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="en-US").new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        base = args.url.rstrip("/")
        shots = Shots(args.out, WALK, *version(page, base, args.kfp_pin))
        try:
            walk(page, args, shots, until)
        except (WalkError, PlaywrightError) as exc:
            point = CAPTIONS.get(_next_point(shots), {}).get("en", "the walk")
            _quietly(lambda: shots.take(page, "failure", CAPTIONS["failure"], full_page=True))
            print(f"kfp-ui walk: before '{point}' at {page.url}: {str(exc).splitlines()[0]}", file=sys.stderr)
            return 1
        finally:
            # Console errors are reported, not judged: the UI logs some of its own on a healthy cluster.
            (args.out / "console-errors.txt").write_text("".join(f"{e}\n" for e in errors), "utf-8")
            chromium.close()
    print(f"kfp-ui walk: {shots.order} screenshots in {args.out} (KFP {shots.kfp_version or 'unknown'})")
    return 0


ORDER = ["pipeline-graph", "new-run", "run-succeeded", "step-logs", "step-outputs"]


def _next_point(shots: Shots) -> str:
    return ORDER[shots.order] if shots.order < len(ORDER) else "the walk"


def _quietly(action) -> None:
    # a failure screenshot must not hide the failure it illustrates
    with contextlib.suppress(Exception):
        action()


if __name__ == "__main__":
    sys.exit(main())
