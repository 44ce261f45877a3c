"""The JSON report: what a session writes, how it merges with the last one, and bad files refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from snipcheck import needs, report, runtimes, schema

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "report"
pytest_plugins = ["pytester"]


def _write(path, snippet_id="g/a.sh", tier="static", status="passed", digest="aa", reason=None):
    session = report.Report(path)
    session.snippet(snippet_id, digest, ["docs/x.md:3", "docs/x.en.md:3"])
    session.tier(snippet_id, tier, status, digest=digest, reason=reason, duration=0.25)
    session.tools["kubectl"] = "v1.37.1"
    return session.write()


def test_written_report_matches_the_documented_format(tmp_path):
    data = json.loads(_write(tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["format"] == report.FORMAT
    assert set(data) == {"format", "updated", "machine", "tools", "chains", "snippets", "walkthroughs"}
    assert {"os", "os_name", "python", "cpus"} <= set(data["machine"])
    assert schema.report_problem(data) is None  # what the writer makes is what the schema defines
    entry = data["snippets"]["g/a.sh"]
    assert entry["sha256"] == "aa" and entry["pages"] == ["docs/x.md:3", "docs/x.en.md:3"]
    tier = entry["tiers"]["static"]
    assert {"status", "reason", "reason_ko", "at", "sha256", "duration", "output_tail", "environment"} == set(tier)
    assert tier["status"] in report.STATUSES


def test_a_later_session_keeps_the_tiers_it_did_not_run(tmp_path):
    path = tmp_path / "r.json"
    _write(path, tier="static", status="passed", digest="old")
    _write(path, tier="local", status="skipped", digest="new", reason="no network")
    tiers = report.load(path)["snippets"]["g/a.sh"]["tiers"]
    assert tiers["static"]["sha256"] == "old" and tiers["local"]["reason"] == "no network"


@pytest.mark.parametrize(
    "name, message",
    [
        ("not-json.json", "not a readable JSON report"),
        ("a-list.json", "not a report: the JSON is a list, not an object"),
        ("format-99.json", "report format 99 is not 2 (or 1, upgraded when read)"),
        ("misspelt-status.json", "snippets.kfp-v2/run_local.py.tiers.local.status: 'passd' is not one of ["),
        ("result-without-at.json", "snippets.kfp-v2/run_local.py.tiers.static: 'at' is a required property"),
        ("unknown-tier.json", "snippets.kfp-v2/run_local.py.tiers: 'locl' is not one of ["),
        ("chain-not-an-object.json", "chains.pipelines-only: 'passed' is not of type 'object'"),
        (
            "walkthrough-where.json",
            "walkthroughs.pipelines-sdk:kfp-v2.where: 'laptop' is not one of ['here', 'cluster']",
        ),
        ("run-duration-text.json", "walkthroughs.pipelines-sdk:kfp-v2.runs.1.duration: '34s' is not of type 'number'"),
    ],
)
def test_a_bad_report_is_refused_in_one_line_naming_file_and_json_path(name, message):
    path = FIXTURES / name
    with pytest.raises(report.ReportError) as caught:
        report.load(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value), str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_broken_old_report_is_replaced_and_the_session_says_so(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"format": 2, "snippets": ', encoding="utf-8")  # cut short, as by a full disk
    session = report.Report(path)
    session.snippet("g/a.sh", "aa", ["docs/x.md:3"])
    session.write()
    assert list(report.load(path)["snippets"]) == ["g/a.sh"]
    assert session.replaced and session.replaced.startswith("not a readable JSON report: ")
    again = report.Report(path)
    again.write()
    assert again.replaced is None  # a readable report is merged, silently


def test_a_run_over_a_broken_report_names_it_in_its_summary(pytester):
    pytester.makefile(".sh", **{"snippets/demo/hello": 'echo "hello"\n'})
    entry = "snippets:\n  hello.sh:\n    static: {}\n    local: shown only\n    cluster: needs no cluster\n"
    pytester.makefile(".yaml", **{"snippets/demo/checks": entry})
    pytester.makeini("[pytest]\ntestpaths = snippets\n")
    (pytester.path / "r.json").write_text("[]", encoding="utf-8")
    result = pytester.runpytest_subprocess("-p", "snipcheck.plugin", "--report", "r.json", "-n", "0")
    result.stdout.fnmatch_lines(
        [
            "snippet report: r.json",
            "r.json: not a report: the JSON is a list, not an object; replaced by this session's results alone"
            " (the earlier ones could not be kept)",
        ]
    )
    assert result.ret == 0


def test_a_format_1_report_is_upgraded_on_load():
    data = report.load(FIXTURES / "format-1.json")
    assert data["format"] == 2 and data["walkthroughs"] == {} and data["machine"]["os_name"] is None
    assert data["snippets"]["kfp-v2/run_local.py"]["tiers"]["cluster"]["reason_ko"] == "클러스터가 필요 없음"


def test_a_format_2_report_with_walkthroughs_loads_and_a_session_keeps_them(tmp_path):
    path = tmp_path / "r.json"
    shutil.copy(FIXTURES / "format-2.json", path)
    _write(path, snippet_id="kfp-v2/run_local.py", tier="static", digest="new")
    data = report.load(path)
    assert data["walkthroughs"]["pipelines-sdk:kfp-v2"]["runs"][1]["attempt"] == 2
    assert data["snippets"]["kfp-v2/run_local.py"]["tiers"]["walkthrough"]["status"] == "passed"
    assert data["snippets"]["kfp-v2/run_local.py"]["tiers"]["static"]["sha256"] == "new"


@pytest.mark.parametrize("tier, status", [("static", "passd"), ("locl", "passed")])
def test_a_result_the_format_has_no_place_for_is_refused_when_made(tmp_path, tier, status):
    with pytest.raises(ValueError, match=rf"g/a.sh: a '{tier}' result with status '{status}'; the report takes"):
        report.Report(tmp_path / "r.json").tier("g/a.sh", tier, status, digest="aa")


def test_merge_cluster_carries_chains_and_cluster_results_only(tmp_path):
    into = tmp_path / "site.json"
    _write(into, snippet_id="kfp-v2/run_local.py", tier="static", digest="mine")
    count = report.merge_cluster_results(FIXTURES / "format-2.json", into)
    data = report.load(into)
    tiers = data["snippets"]["kfp-v2/run_local.py"]["tiers"]
    assert count == 1 and set(tiers) == {"static", "cluster"} and tiers["static"]["sha256"] == "mine"
    assert set(data["chains"]) == {"pipelines-only"} and data["walkthroughs"] == {}


def test_merge_cluster_command_refuses_a_bad_report_in_one_line(tmp_path, capsys):
    assert report.main(["merge-cluster", str(FIXTURES / "misspelt-status.json"), str(tmp_path / "r.json")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("snipcheck: ") and err.count("\n") == 1 and "'passd' is not one of" in err


@pytest.mark.parametrize(
    "text, name",
    [
        ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n', "Debian 12"),
        ("NAME=Ubuntu\nVERSION_ID='24.04'\n", "Ubuntu 24.04"),
        ('NAME="Fedora Linux"\nVERSION_ID=41\n', "Fedora 41"),
        ('NAME="Arch Linux"\n', "Arch"),
        ("# nothing useful\n", None),
    ],
)
def test_os_name_is_short_for_readers(tmp_path, text, name):
    path = tmp_path / "os-release"
    path.write_text(text, encoding="utf-8")
    assert report.os_name(path) == name


def test_a_missing_report_is_empty(tmp_path):
    assert report.load(tmp_path / "none.json")["snippets"] == {}


def _report_with(tmp_path: Path, snippet_id: str) -> Path:
    (tmp_path / "snippets" / snippet_id).parent.mkdir(parents=True)
    (tmp_path / "snippets" / snippet_id).write_text("scripts/test\nscripts/site\n", encoding="utf-8")
    written = report.Report(tmp_path / "r.json")
    written.snippet(snippet_id, "old", ["docs/index.md:57"])
    written.tier(snippet_id, "local", "not-applicable", digest="old", reason="CI runs it")
    written.write()
    return tmp_path / "r.json"


@pytest.mark.parametrize("exit_status, status", [(0, "passed"), (1, "failed")])
def test_a_ci_run_becomes_the_blocks_local_result(tmp_path, exit_status, status):
    into = _report_with(tmp_path, "quick-start/build-site.sh")
    report.record_ci_run(into, ["quick-start/build-site.sh"], 181, exit_status, tmp_path)
    local = report.load(into)["snippets"]["quick-start/build-site.sh"]["tiers"]["local"]
    assert local["status"] == status and local["duration"] == 181
    assert local["sha256"] == report.sha256(tmp_path / "snippets/quick-start/build-site.sh")
    assert local["environment"]["ran_by"] == ".ci/run" and "fresh clone" in local["environment"]["session"]
    assert local["reason"] == (None if exit_status == 0 else "a command ended with exit status 1")
    assert schema.report_problem(json.loads(into.read_text(encoding="utf-8"))) is None


def test_ran_in_ci_refuses_a_snippet_the_report_lacks_and_bad_arguments_in_one_line(tmp_path, capsys, monkeypatch):
    into = _report_with(tmp_path, "quick-start/build-site.sh")
    monkeypatch.chdir(tmp_path)
    assert report.main(["ran-in-ci", str(into), "3", "0", "quick-start/nope.sh"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("snipcheck: ") and err.count("\n") == 1 and "no snippet quick-start/nope.sh" in err
    assert report.main(["ran-in-ci", str(into), "3", "zero", "quick-start/build-site.sh"]) == 2
    assert capsys.readouterr().err.startswith("usage: ")


@pytest.mark.parametrize("runtime", ["kfp-v1", "kfp-v2"])
def test_the_report_states_the_kfp_the_runtime_itself_imports(runtime):
    """The version is read from the venv's metadata on disk, without starting its interpreter: it must be what
    that interpreter finds. Under scripts/test the runtime is made here when no item has made it yet."""
    venvs = Path(os.environ.get("SNIPCHECK_VENVS", ".venvs"))
    runtimes.ensure_in(venvs, runtime)
    python = venvs / runtime / "bin" / "python"
    if not python.exists():
        pytest.skip(f"runtime {runtime} not made: {python} is absent (run this under scripts/test, which makes it)")
    asked = subprocess.run(
        [str(python), "-c", "from importlib.metadata import version; print(version('kfp'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert needs.installed_version(python, "kfp") == asked.stdout.strip()


def test_a_runtime_without_the_distribution_states_none(tmp_path):
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    (site / "other-1.0.dist-info").mkdir(parents=True)
    (site / "other-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: other\nVersion: 1.0\n")
    python = tmp_path / "venv" / "bin" / "python"
    assert needs.installed_version(python, "other") == "1.0"
    assert needs.installed_version(python, "kfp") is None
