"""The manifest loader: a good checks.yaml loads; each defect is refused with file:line and a clear reason."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest

from snipcheck import manifest, schema, yamlines
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


def test_joined_steps_run_after_their_anchor_in_their_checks_yaml_order():
    loaded = manifest.load(FIXTURES / "joined")
    chain = loaded.chains["host-chain"]
    assert chain.steps == (
        "host/a.sh",
        "extra/x.sh",
        "extra/y.sh",  # after extra/x.sh, so before what joins after a.sh later
        "extra/z.sh",
        "more/m.sh",  # after a.sh too, from a group later in path order
        "host/b.sh",
        "extra/w.sh",
    )
    assert chain.folders == ("host", "extra", "more")
    assert loaded.snippets["extra/x.sh"].chain == "host-chain"
    # The part one group contributes (the plugin collects group by group) carries the whole chain.
    part = loaded.group(FIXTURES / "joined" / "extra" / "checks.yaml")
    assert set(part.snippets) == {"extra/x.sh", "extra/y.sh", "extra/z.sh", "extra/w.sh"}
    assert part.chains == {"host-chain": chain}


def test_load_all_keeps_each_broken_group_apart():
    loaded = manifest.load_all(FIXTURES / "join-unknown-after")
    assert set(loaded.errors) == {FIXTURES / "join-unknown-after" / "demo" / "checks.yaml"}
    assert loaded.chains["host-chain"].steps == ("host/a.sh", "host/b.sh")


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
    # Caught by the schema (src/snipcheck/schemas/checks.schema.json) before the loader reads the meaning.
    "needs-not-a-list": (4, "local.needs must be a list, not the string 'docker'"),
    "tier-is-a-list": (
        4,
        "local must be a mapping of settings ({} for the defaults) or a reason saying why "
        "it does not apply, not a list",
    ),
    "two-verbs-in-a-matcher": (8, "local.expect.stdout[1] must be one entry: contains, not_contains or regex"),
    "misspelt-tier": (4, "unknown key 'locl' in the entry of hello.sh (did you mean 'local'?)"),
    "unknown-runtime": (4, "unknown runtime 'kfp-v3' (known: bash, python, kfp-v1, kfp-v2)"),
    "zero-timeout": (5, "local.timeout must be positive"),
    "misspelt-walkthrough-key": (7, "unknown key 'timout' in the walkthrough settings (did you mean 'timeout'?)"),
    "reason-in-french": (7, "unknown key 'fr' in the local reason (allowed: en, ko)"),
    # Joining a chain declared in another group (each fixture has a host/ group declaring chain host-chain).
    "join-unknown-chain": (
        6,
        "hello.sh: cluster.chain names 'host', which no checks.yaml declares (known: host-chain)",
    ),
    "join-unknown-after": (
        6,
        "hello.sh: cluster.after names 'c.sh', which is not a step of chain 'host-chain' (did you mean 'b.sh'?)",
    ),
    "after-without-chain": (7, "cluster.after needs cluster.chain: the chain whose step it follows"),
    "chain-without-after": (6, "cluster.chain needs cluster.after: the step of that chain to run after"),
    "chain-group-joins": (
        10,
        "hello.sh: this checks.yaml declares chain 'demo-chain', whose steps are its own cluster steps; "
        "a group with its own chain cannot join chain 'host-chain'",
    ),
    "join-cycle": (6, "hello.sh: cluster.after 'demo/again.sh' makes a cycle of steps"),
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
    pytester.makefile(
        ".yaml",
        **{
            "snippets/demo/checks": textwrap.dedent("""\
        snippets:
          hello.sh:
            static: {}
            local:
              timout: 10
            cluster: needs no cluster
        """)
        },
    )
    pytester.makeini("[pytest]\ntestpaths = snippets\n")
    result = pytester.runpytest_subprocess("-p", "snipcheck.plugin", "--report", "r.json")
    result.stdout.fnmatch_lines(["*snippets/demo/checks.yaml:5: unknown key 'timout' in the local tier*"])
    assert "Traceback" not in result.stdout.str()
    assert result.ret != 0


SCHEMA_LINE = "# yaml-language-server: $schema=../../src/snipcheck/schemas/checks.schema.json"


def test_the_schemas_are_valid_draft_2020_12():
    for name in (schema.CHECKS, schema.REPORT):
        loaded = schema.load(name)
        assert loaded["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(loaded)


@pytest.mark.parametrize("path", sorted(ROOT.glob("snippets/*/checks.yaml")), ids=lambda p: p.parent.name)
def test_every_checks_yaml_names_its_schema_on_its_first_line(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == SCHEMA_LINE, f"{path.relative_to(ROOT)}:1: the first line must be: {SCHEMA_LINE}"
    named = (path.parent / first.partition("$schema=")[2]).resolve()
    assert json.loads(named.read_text(encoding="utf-8")) == schema.load(schema.CHECKS)


def _check(tmp_path, text):
    path = tmp_path / "checks.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    schema.check_manifest(yamlines.load(path, "checks.yaml"), "checks.yaml")


def test_the_schema_allows_the_walkthrough_key(tmp_path):
    _check(
        tmp_path,
        """\
        snippets:
          hello.sh:
            static: {}
            local: {}
            cluster: {en: needs no cluster, ko: 클러스터가 필요 없음}
            walkthrough:
              timeout: 120
              expect: {stdout: [{contains: hello}]}
        """,
    )


@pytest.mark.parametrize(
    "text, line, message",
    [
        # an item of a block list is named by its own line
        (
            "snippets:\n  hello.sh:\n    static: {}\n    local:\n      needs:\n        - docker\n        - gpu\n"
            "    cluster: needs no cluster\n",
            7,
            "unknown need 'gpu'",
        ),
        # a walkthrough step's needs are checked as a tier's are
        (
            "snippets:\n  hello.sh:\n    static: {}\n    local: {}\n    cluster: needs no cluster\n"
            "    walkthrough:\n      needs: [pypi, gpu]\n",
            7,
            "unknown need 'gpu'",
        ),
        # an unknown key is named before the key it misspells is reported missing
        ("snippet: {}\n", 1, "unknown key 'snippet' in checks.yaml (did you mean 'snippets'?)"),
        ("", 1, "checks.yaml must be a mapping, not empty"),
        (
            "snippets:\n  hello.sh:\n    static: {}\n    local: {}\n    cluster:\n      background:\n"
            "        ready: {status: [200]}\n",
            7,
            "cluster.background.ready must give tcp: <port> or http: <url>",
        ),
        (
            "chain:\n  name: c\n  kind: latest\n  node_image: x@sha256:" + "0" * 64 + "\nsnippets: {}\n",
            3,
            "chain.kind must be a kind release such as v0.20.0",
        ),
    ],
)
def test_schema_errors_name_the_line_of_the_offending_part(tmp_path, text, line, message):
    with pytest.raises(ManifestError) as caught:
        _check(tmp_path, text)
    assert caught.value.line == line and message in caught.value.message, str(caught.value)
