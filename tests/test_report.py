"""The JSON report: what a session writes, how it merges with the last one, and bad files refused."""
from __future__ import annotations

import json

import pytest

from snipcheck import report


def _write(path, snippet_id="g/a.sh", tier="static", status="passed", digest="aa", reason=None):
    session = report.Report(path)
    session.snippet(snippet_id, digest, ["docs/x.md:3", "docs/x.en.md:3"])
    session.tier(snippet_id, tier, status, digest=digest, reason=reason, duration=0.25)
    session.tools["kubectl"] = "v1.37.1"
    return session.write()


def test_written_report_matches_the_documented_format(tmp_path):
    data = json.loads(_write(tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["format"] == report.FORMAT
    assert set(data) == {"format", "updated", "machine", "tools", "chains", "snippets"}
    assert {"os", "python", "cpus"} <= set(data["machine"])
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


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a readable JSON report"),
    ('{"format": 99}', "report format 99 is not 1"),
    ('{"format": 1, "snippets": {"g/a.sh": {"tiers": {"static": {"status": "great"}}}}}',
     "snippets.g/a.sh.tiers.static: status must be one of"),
])
def test_a_bad_report_is_refused_with_its_name(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(report.ReportError) as caught:
        report.load(path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_a_missing_report_is_empty(tmp_path):
    assert report.load(tmp_path / "none.json")["snippets"] == {}
