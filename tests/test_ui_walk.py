"""The UI walk of the cluster tier (cluster/ui_walk.py, cluster/kfp_ui_walk.py) and its screenshots on the site
(site/screenshots.py): the skip reason where there is no cluster, the walk's orchestration with stand-in walk
modules, its pieces against fake pages, and the rendering of a screenshot folder, with broken sidecars
(tests/fixtures/screenshots) and broken checks.yaml entries (tests/fixtures/ui_walk)."""

from __future__ import annotations

import json
import shutil
import struct
import textwrap
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from snipcheck import manifest, needs, schema, yamlines
from snipcheck.cluster import kfp_ui_walk, ui_walk
from snipcheck.cluster import tier as cluster_tier
from snipcheck.errors import ManifestError
from snipcheck.site import screenshots

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHOTS = HERE / "fixtures" / "screenshots"
MARKER = "<!-- snipcheck:screenshots kfp-ui -->"
STEP = "use-pipelines/run-package.sh"


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG, made here so no binary lives in the fixtures."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")
    )


def case(tmp_path: Path, name: str) -> Path:
    """A copy of a fixture case with a tiny PNG for every image its sidecars name."""
    root = tmp_path / name
    shutil.copytree(SHOTS / name, root)
    for sidecar in root.glob("*/*.json"):
        try:
            image = json.loads(sidecar.read_text(encoding="utf-8")).get("image")
        except json.JSONDecodeError:
            continue
        if image and "/" not in image:
            (sidecar.parent / image).write_bytes(tiny_png())
    return root


def real_step():
    return manifest.load_all(ROOT / "snippets").snippets[STEP]


# --- where the walk is declared, and why it does not run here --------------------------------------------


def test_the_pipelines_only_chain_declares_the_kfp_walk_after_run_package():
    step = real_step()
    walk = step.tier("cluster").ui_walk
    assert step.chain == "pipelines-only"
    assert walk is not None and walk.name == "kfp-ui" and walk.timeout > 0
    assert set(ui_walk.WALKS) == set(
        json.loads((ROOT / "src/snipcheck/schemas/checks.schema.json").read_text())["$defs"]["clusterSettings"][
            "properties"
        ]["ui_walk"]["properties"]["name"]["enum"]
    )


class FakeCtx:
    def __init__(self):
        from snipcheck.context import Options
        from snipcheck.report import Report

        self.options = Options(report=Path("unused.json"), cluster="kind", context=None)
        self.report = Report(Path("unused.json"))
        self.manifest = manifest.load_all(ROOT / "snippets")


def test_without_a_cluster_the_walk_step_is_skipped_with_the_chains_exact_reason():
    ctx = FakeCtx()
    step = ctx.manifest.snippets[STEP]
    chain_reason = needs.missing(ctx.manifest.chains["pipelines-only"].needs)
    if chain_reason is None:
        pytest.skip("this machine has Docker and the network: the chain would run here")
    assert cluster_tier.skip_reason(ctx, step, step.tier("cluster")) == chain_reason
    assert ctx.report.chains == {}  # asking writes nothing


def test_with_a_cluster_but_no_browser_the_walk_step_is_skipped_naming_the_browser(monkeypatch, tmp_path):
    ctx = FakeCtx()
    step = ctx.manifest.snippets[STEP]
    monkeypatch.setattr(cluster_tier, "chain_skip_reason", lambda ctx, chain: None)
    monkeypatch.setattr(cluster_tier.needs, "missing", lambda wanted: None)
    monkeypatch.setenv(ui_walk.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    reason = cluster_tier.skip_reason(ctx, step, step.tier("cluster"))
    assert reason == (
        f"the UI walk kfp-ui needs Chromium: not found ({tmp_path / 'no-chromium'}; "
        f"set {ui_walk.CHROMIUM_ENV} to choose one)"
    )


@pytest.mark.parametrize(
    "fixture, message",
    [
        ("unknown-walk", "unknown cluster.ui_walk.name 'katib-ui' (known: kfp-ui)"),
        ("no-timeout", "cluster.ui_walk.timeout is required"),
    ],
)
def test_a_broken_ui_walk_entry_is_refused_at_its_line(fixture, message):
    path = HERE / "fixtures" / "ui_walk" / fixture / "checks.yaml"
    with pytest.raises(ManifestError) as caught:
        schema.check_manifest(yamlines.load(path, "checks.yaml"), "checks.yaml")
    assert caught.value.line == 7 and message in caught.value.message, str(caught.value)


# --- the walk's orchestration, with stand-in walk modules ------------------------------------------------

STAND_INS = {
    "walk_ok": """
        import json, sys
        from pathlib import Path
        out = Path(sys.argv[sys.argv.index("--out") + 1])
        (out / "01-graph.png").write_bytes(Path(__file__).with_name("tiny.png").read_bytes())
        (out / "01-graph.json").write_text(json.dumps({"argv": sys.argv}))
        print("walked")
    """,
    "walk_fails": """
        import sys
        from pathlib import Path
        out = Path(sys.argv[sys.argv.index("--out") + 1])
        (out / "01-failure.png").write_bytes(b"png")
        print("kfp-ui walk: before 'the new Run form': Start stayed disabled", file=sys.stderr)
        sys.exit(1)
    """,
    "walk_hangs": """
        import time
        time.sleep(600)
    """,
}


@pytest.fixture
def chain_folder(tmp_path, monkeypatch):
    """A chain's working folder with the package and the install step's pin; stand-in walks importable."""
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "tiny.png").write_bytes(tiny_png())
    for name, code in STAND_INS.items():
        (modules / f"{name}.py").write_text(textwrap.dedent(code))
    monkeypatch.setenv("PYTHONPATH", str(modules))
    monkeypatch.setenv(ui_walk.CHROMIUM_ENV, shutil.which("true") or "/bin/true")
    work = tmp_path / "work"
    work.mkdir()
    (work / "pipeline_v2.yaml").write_text("pipelineInfo: {name: week6-pipeline}\n")
    (work / "04-install-pipelines.sh").write_text("PIPELINE_VERSION=2.16.1\nkubectl apply -k x\n")
    return work


def use_stand_in(monkeypatch, module: str) -> None:
    real = ui_walk.WALKS["kfp-ui"]
    monkeypatch.setitem(ui_walk.WALKS, "kfp-ui", ui_walk.Walk(module, real.url_from, real.package, real.pin))


def run_walk(work: Path, tmp_path: Path, timeout: float = 120, exports=None):
    walk = manifest.UiWalk("kfp-ui", timeout)
    exports = {"KFP_HOST": "http://127.0.0.1:8080/"} if exports is None else exports
    return ui_walk.run(
        walk, workdir=work, exports=exports, shots_root=tmp_path / "shots", evidence_root=tmp_path / "evidence"
    )


def test_a_finished_walk_replaces_the_published_screenshots(chain_folder, tmp_path, monkeypatch):
    use_stand_in(monkeypatch, "walk_ok")
    old = tmp_path / "shots" / "kfp-ui"
    old.mkdir(parents=True)
    (old / "09-stale.png").write_bytes(b"old")
    outcome = run_walk(chain_folder, tmp_path)
    assert outcome.problem is None, outcome.output
    published = tmp_path / "shots" / "kfp-ui"
    assert sorted(p.name for p in published.iterdir()) == ["01-graph.json", "01-graph.png"]
    argv = json.loads((published / "01-graph.json").read_text())["argv"]
    assert argv[argv.index("--url") + 1] == "http://127.0.0.1:8080/"
    assert argv[argv.index("--package") + 1] == str(chain_folder / "pipeline_v2.yaml")
    assert argv[argv.index("--kfp-pin") + 1] == "2.16.1"
    assert [p.name for p in (tmp_path / "shots").iterdir()] == ["kfp-ui"]  # no partial or old folder left


def test_a_failed_walk_keeps_its_screenshots_as_evidence_and_leaves_the_published_set(
    chain_folder, tmp_path, monkeypatch
):
    use_stand_in(monkeypatch, "walk_fails")
    published = tmp_path / "shots" / "kfp-ui"
    published.mkdir(parents=True)
    (published / "01-graph.png").write_bytes(b"last good walk")
    outcome = run_walk(chain_folder, tmp_path)
    assert outcome.problem == "UI walk kfp-ui failed: kfp-ui walk: before 'the new Run form': Start stayed disabled"
    kept = list((tmp_path / "evidence").glob("ui-walk-kfp-ui-*/01-failure.png"))
    assert len(kept) == 1 and str(kept[0].parent) in outcome.details[0]
    assert (published / "01-graph.png").read_bytes() == b"last good walk"


def test_a_walk_past_its_deadline_is_killed_and_fails(chain_folder, tmp_path, monkeypatch):
    use_stand_in(monkeypatch, "walk_hangs")
    outcome = run_walk(chain_folder, tmp_path, timeout=3)
    assert outcome.problem == "UI walk kfp-ui failed: did not finish within 3 s"


def test_a_walk_needs_the_port_forward_and_the_package(chain_folder, tmp_path):
    assert run_walk(chain_folder, tmp_path, exports={}).problem == (
        "UI walk kfp-ui: no earlier step exported KFP_HOST (the port-forward's address)"
    )
    (chain_folder / "pipeline_v2.yaml").unlink()
    assert run_walk(chain_folder, tmp_path).problem == (
        "UI walk kfp-ui: pipeline_v2.yaml is not in the chain's working folder (an earlier step makes it)"
    )


# --- the walk's pieces against fake pages -----------------------------------------------------------------


class FakeResponse:
    def __init__(self, data):
        self.data = data

    def json(self):
        if isinstance(self.data, Exception):
            raise self.data
        return self.data


class FakePage:
    """Just what the pieces use: request.get answering from a list, screenshot writing a PNG, url."""

    def __init__(self, answers=()):
        self.answers = list(answers)
        self.asked: list[str] = []
        self.url = "http://127.0.0.1:8080/#/runs/details/r1"
        self.request = SimpleNamespace(get=self._get)

    def _get(self, url):
        self.asked.append(url)
        return FakeResponse(self.answers.pop(0))

    def screenshot(self, path, full_page=False):
        Path(path).write_bytes(tiny_png())


def test_the_version_comes_from_the_ui_else_from_the_chains_pin():
    page = FakePage([{"apiServerTagName": "2.16.1", "frontendTagName": "2.16.1"}])
    assert kfp_ui_walk.version(page, "http://ui", "2.0.0") == ("2.16.1", "ui")
    assert page.asked == ["http://ui/apis/v2beta1/healthz"]
    assert kfp_ui_walk.version(FakePage([{"apiServerTagName": "unknown"}]), "http://ui", "2.16.1") == (
        "2.16.1",
        "chain pin",
    )
    assert kfp_ui_walk.version(FakePage([ValueError("not JSON")]), "http://ui", None) == (None, None)


def test_waiting_for_the_run_reads_its_state_until_it_ends(monkeypatch):
    monkeypatch.setattr(kfp_ui_walk, "POLL", 0)
    page = FakePage([{"state": "PENDING"}, {"state": "RUNNING"}, {"state": "SUCCEEDED"}])
    kfp_ui_walk.wait_for_run(page, "http://ui", "r1", ui_walk.deadline_after(60))
    assert page.asked == ["http://ui/apis/v2beta1/runs/r1"] * 3
    with pytest.raises(kfp_ui_walk.WalkError, match="Run r1 ended FAILED"):
        kfp_ui_walk.wait_for_run(FakePage([{"state": "FAILED"}]), "http://ui", "r1", ui_walk.deadline_after(60))
    with pytest.raises(kfp_ui_walk.WalkError, match="Run r1 was still RUNNING"):
        kfp_ui_walk.wait_for_run(FakePage([{"state": "RUNNING"}]), "http://ui", "r1", ui_walk.deadline_after(-1))


def test_what_the_walk_writes_is_what_the_site_reads(tmp_path):
    out = tmp_path / "kfp-ui"
    out.mkdir()
    shots = ui_walk.Shots(out, "kfp-ui", "2.16.1", "ui")
    for what in kfp_ui_walk.ORDER:
        shots.take(FakePage(), what, kfp_ui_walk.CAPTIONS[what])
    read = screenshots.load(out, "kfp-ui")
    assert [s.image.name for s in read] == [f"{i:02d}-{w}.png" for i, w in enumerate(kfp_ui_walk.ORDER, 1)]
    assert read[-1].caption == kfp_ui_walk.CAPTIONS["step-outputs"] and read[0].kfp_version == "2.16.1"


# --- the screenshots on the pages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, words", [("ko", "아직 끝까지 실행된 적이 없어서"), ("en", "has not run to its end yet")]
)
def test_without_screenshots_the_marker_says_where_the_walk_runs(tmp_path, language, words):
    page = f"# Page\n\n{MARKER}\n\nafter\n"
    out = screenshots.render(page, language, root=ROOT, shots_root=tmp_path, dest=None, prefix="")
    assert MARKER not in out and "<img" not in out
    assert words in out and "`pipelines-only`" in out and f"`{STEP}`" in out
    assert out.startswith("# Page\n\n!!! info") and out.endswith("\n\nafter\n")


@pytest.mark.parametrize(
    "language, caption, taken, summary",
    [
        ("ko", "multiply 단계의 Logs 탭", "2026-12-07 03:52 UTC에 찍음", "2026-12-07(UTC)에 Playwright로"),
        ("en", "The Logs tab of the step multiply", "taken 2026-12-07 03:52 UTC", "Taken on 2026-12-07 (UTC)"),
    ],
)
def test_screenshots_render_in_order_with_caption_and_date_and_are_copied(tmp_path, language, caption, taken, summary):
    root = case(tmp_path, "good")
    dest = tmp_path / "site" / "use-pipelines"
    out = screenshots.render(MARKER + "\n", language, root=ROOT, shots_root=root, dest=dest, prefix="")
    assert out.index("01-pipeline-graph.png") < out.index("02-step-logs.png")
    assert f"<figcaption>2. {caption} ({taken})</figcaption>" in out
    assert summary in out and "2.16.1" in out
    assert '<img src="kfp-ui/02-step-logs.png"' in out
    assert (dest / "kfp-ui" / "02-step-logs.png").read_bytes() == tiny_png()


@pytest.mark.parametrize(
    "name, problem",
    [
        ("bad-json", "01-cut.json: not a JSON sidecar"),
        ("no-korean", "01-graph.json: caption must give both en and ko"),
        ("bad-time", "01-graph.json: taken must be a UTC time like 2026-12-02T10:11:12Z, not 'last Monday'"),
        ("wrong-walk", "01-graph.json: walk is 'katib-ui', but the folder is 'kfp-ui'"),
        ("no-image", "01-graph.json: image '../01-graph.png' is not a PNG file beside it"),
    ],
)
def test_a_broken_sidecar_is_a_clear_error_naming_its_file(tmp_path, name, problem):
    root = case(tmp_path, name)
    with pytest.raises(screenshots.ScreenshotError) as caught:
        screenshots.render(MARKER, "en", root=ROOT, shots_root=root, dest=None, prefix="")
    message = str(caught.value)
    assert message.startswith(str(root / "kfp-ui")) and problem in message, message


def test_a_png_without_sidecar_or_not_a_png_is_refused(tmp_path):
    root = case(tmp_path, "good")
    (root / "kfp-ui" / "03-orphan.png").write_bytes(tiny_png())
    with pytest.raises(screenshots.ScreenshotError, match="03-orphan.png: no sidecar 03-orphan.json"):
        screenshots.load(root / "kfp-ui", "kfp-ui")
    (root / "kfp-ui" / "03-orphan.png").unlink()
    (root / "kfp-ui" / "01-pipeline-graph.png").write_text("not an image")
    with pytest.raises(screenshots.ScreenshotError, match="01-pipeline-graph.json: image 01-pipeline-graph.png is not"):
        screenshots.load(root / "kfp-ui", "kfp-ui")


def test_the_hook_call_copies_beside_the_page_and_stops_the_build_on_a_broken_sidecar(tmp_path, monkeypatch):
    config = SimpleNamespace(config_file_path=str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    page = SimpleNamespace(file=SimpleNamespace(dest_uri="en/use-pipelines/index.html"))
    monkeypatch.setenv(screenshots.ROOT_ENV, str(case(tmp_path, "good")))
    assert screenshots.embed("no marker\n", "en", page, config) == "no marker\n"
    screenshots.embed(MARKER, "en", page, config)
    assert (tmp_path / "site" / "en" / "use-pipelines" / "kfp-ui" / "01-pipeline-graph.png").is_file()
    monkeypatch.setenv(screenshots.ROOT_ENV, str(case(tmp_path, "bad-time")))
    with pytest.raises(PluginError, match="01-graph.json: taken must be a UTC time"):
        screenshots.embed(MARKER, "en", page, config)


def test_both_use_pipelines_pages_carry_the_marker():
    for name in ("use-pipelines.md", "use-pipelines.en.md"):
        assert MARKER in (ROOT / "docs" / name).read_text(encoding="utf-8").splitlines(), name
