"""The SDK runtimes are made when an item first needs one, once per process, only in the environments folder
scripts/test named, and a runtime that cannot be made fails the items that need it with the script's own line.
A stand-in environment script plays scripts/_venv.sh here; test_scripts drives the real one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from snipcheck import execute, manifest, runtimes
from snipcheck.context import Context, Options
from snipcheck.errors import SnippetFailure
from snipcheck.report import Report
from snipcheck.static import tier as static_tier
from snipcheck.structure import Layout

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "tests" / "fixtures" / "good"

# ensure_venv of the stand-in: logs each call, then makes the runtime (a venv-shaped folder whose python is this
# interpreter) when it is missing, saying so as _venv.sh does; FAIL=1 makes it refuse in _venv.sh's words.
MAKER = """\
ensure_venv() {
    echo "$1 $PYTHON" >> "$SNIPCHECK_VENVS/calls.log"
    if [ "${FAIL:-}" = 1 ]; then
        echo "scripts/$(basename "$0"): requirements/$1.txt refused: a requirement has no sha256" \\
             "(regenerate it with scripts/lock)" >&2
        return 1
    fi
    [ -e "$SNIPCHECK_VENVS/$1/bin/python" ] && return 0
    echo "setting up .venvs/$1 from requirements/$1.txt with uv ..." >&2
    mkdir -p "$SNIPCHECK_VENVS/$1/bin" && ln -s "%s" "$SNIPCHECK_VENVS/$1/bin/python"
}
"""


@pytest.fixture
def venvs(tmp_path, monkeypatch) -> Path:
    """An empty environments folder that scripts/test named, with the stand-in as its maker."""
    folder = tmp_path / "venvs"
    folder.mkdir()
    maker = tmp_path / "maker.sh"
    maker.write_text(MAKER % sys.executable, encoding="utf-8")
    monkeypatch.setenv(runtimes.MAKER, str(maker))
    monkeypatch.setenv(runtimes.PYTHON, "/opt/python3.11")
    monkeypatch.setenv("SNIPCHECK_VENVS", str(folder))
    monkeypatch.delenv("FAIL", raising=False)
    monkeypatch.setattr(runtimes, "MADE", [])  # the process's own notes are kept for its end
    runtimes._make.cache_clear()
    yield folder
    runtimes._make.cache_clear()


def calls(venvs: Path) -> list[str]:
    log = venvs / "calls.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def context(venvs: Path) -> Context:
    layout = Layout(ROOT, docs=f"{STATIC}/no-pages", snippets=str(STATIC))
    loaded = manifest.load_group(layout.snippets_dir, layout.snippets_dir / "static" / manifest.MANIFEST_NAME)
    ctx = Context(layout, loaded, Options(report=Path("unused.json")), Report(Path("unused.json")))
    ctx.venvs = venvs
    return ctx


def test_a_missing_runtime_is_made_on_first_use_once_per_process_and_said_once(venvs):
    ctx = context(venvs)
    snippet = ctx.manifest.snippets["static/kfp-v2-api.py"]
    argv = execute.argv_of(snippet, snippet.tier("local"), ctx)
    assert argv[0] == str(venvs / "kfp-v2" / "bin" / "python") and Path(argv[0]).exists()
    execute.argv_of(snippet, snippet.tier("local"), ctx)
    runtimes.ensure(ctx, "kfp-v2")
    # The interpreter scripts/test named, not the tools venv that leads PATH in the run.
    assert calls(venvs) == ["kfp-v2 /opt/python3.11"]
    [note] = runtimes.MADE
    assert note.startswith(f"made {venvs / 'kfp-v2'} on first use (") and note.endswith(" s)")


def test_a_runtime_already_made_gives_no_note(venvs):
    ctx = context(venvs)
    (venvs / "kfp-v1" / "bin").mkdir(parents=True)
    (venvs / "kfp-v1" / "bin" / "python").symlink_to(sys.executable)
    runtimes.ensure(ctx, "kfp-v1")
    assert calls(venvs) == ["kfp-v1 /opt/python3.11"] and runtimes.MADE == []


def test_only_sdk_runtimes_in_the_folder_scripts_test_named_are_made(venvs, tmp_path, monkeypatch):
    ctx = context(tmp_path / "elsewhere")
    runtimes.ensure(ctx, "kfp-v2")
    runtimes.ensure(context(venvs), "python")
    monkeypatch.delenv(runtimes.MAKER)
    runtimes.ensure(context(venvs), "kfp-v2")
    assert calls(venvs) == [] and not (tmp_path / "elsewhere").exists()


def test_a_runtime_that_cannot_be_made_fails_a_run_with_the_scripts_line(venvs, monkeypatch):
    monkeypatch.setenv("FAIL", "1")
    ctx = context(venvs)
    snippet = ctx.manifest.snippets["static/kfp-v2-api.py"]
    with pytest.raises(execute.RuntimeMissing) as caught:
        execute.argv_of(snippet, snippet.tier("local"), ctx)
    assert str(caught.value) == (
        f"{venvs / 'kfp-v2'} could not be made: scripts/test: requirements/kfp-v2.txt refused: "
        "a requirement has no sha256 (regenerate it with scripts/lock)"
    )


def test_a_runtime_that_cannot_be_made_fails_the_kfp_api_check_at_line_1(venvs, monkeypatch):
    monkeypatch.setenv("FAIL", "1")
    ctx = context(venvs)
    snippet = ctx.manifest.snippets["static/kfp-v1-api.py"]
    with pytest.raises(SnippetFailure) as caught:
        static_tier.run(snippet, snippet.tier("static"), ctx)
    assert caught.value.location.endswith("static/kfp-v1-api.py:1")
    assert "kfp-v1 could not be made: scripts/test: requirements/kfp-v1.txt refused" in caught.value.summary
    assert "Traceback" not in caught.value.render()
