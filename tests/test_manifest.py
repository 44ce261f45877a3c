"""The manifest loader: a good checks.yaml loads; each defect is refused with file:line and a clear reason."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from snipcheck import manifest
from snipcheck.errors import ManifestError

pytest_plugins = ["pytester"]

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "manifest"
ROOT = Path(__file__).resolve().parent.parent


def test_good_manifest_loads_tiers_and_chain():
    loaded = manifest.load(FIXTURES / "good")
    snippet = loaded.snippets["demo/hello.sh"]
    assert snippet.lang == "bash" and snippet.chain == "demo-chain"
    assert snippet.tier("local").timeout == 10
    assert [m.verb for m in snippet.tier("local").expect.stdout] == ["contains", "regex"]
    assert loaded.chains["demo-chain"].steps == ("demo/hello.sh",)


BROKEN = {
    "missing-tier": (2, "hello.sh: the cluster tier is missing"),
    "misspelt-key": (5, "unknown key 'timout' in the local tier (did you mean 'timeout'?)"),
    "bad-yaml": (5, "not valid YAML"),
    "missing-file": (6, "snippet file 'goodbye.sh' does not exist"),
    "unpinned-node-image": (4, "chain.node_image must be pinned by digest"),
    "bad-regex": (7, "bad regex 'hel(lo'"),
    "cluster-without-chain": (5, "a cluster tier needs a chain in this checks.yaml"),
    "unknown-need": (4, "unknown need 'gpu'"),
    "duplicate-key": (6, "key 'hello.sh' appears twice"),
    "empty-reason": (4, "local: the reason it does not apply is empty"),
    "wrong-runtime": (4, "runtime 'kfp-v2' cannot run a bash snippet"),
    "placeholder-reason": (4, "local: the reason is still a placeholder"),
}


@pytest.mark.parametrize("fixture", sorted(BROKEN))
def test_broken_manifest_is_refused_with_file_and_line(fixture, monkeypatch):
    monkeypatch.chdir(FIXTURES / fixture)
    line, reason = BROKEN[fixture]
    with pytest.raises(ManifestError) as caught:
        manifest.load(Path("."))
    assert str(caught.value).startswith(f"demo/checks.yaml:{line}: "), str(caught.value)
    assert reason in str(caught.value)


def test_real_manifest_loads():
    loaded = manifest.load(ROOT / "snippets")
    assert loaded.snippets, "the real snippets/ declares no snippet"


def test_broken_manifest_is_a_clean_collection_error(pytester, monkeypatch):
    # Through pytest: the error names the file and line, and no traceback is printed.
    pytester.makefile(".sh", **{"snippets/demo/hello": 'echo "hello"\n'})
    pytester.makefile(".yaml", **{"snippets/demo/checks": textwrap.dedent("""\
        snippets:
          hello.sh:
            static: {}
            local:
              timout: 10
            cluster: needs no cluster
        """)})
    pytester.makeini("[pytest]\ntestpaths = snippets\n")
    result = pytester.runpytest_subprocess("-p", "snipcheck.plugin", "--report", "r.json")
    result.stdout.fnmatch_lines(["*snippets/demo/checks.yaml:5: unknown key 'timout' in the local tier*"])
    assert "Traceback" not in result.stdout.str()
    assert result.ret != 0
