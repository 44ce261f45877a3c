"""Custom resources are checked offline against the vendored CRD schemas: each broken fixture fails at the line
of the field it names, through the static tier as a snippet would; the real manifests and valid ones pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from snipcheck import manifest
from snipcheck.context import Context, Options
from snipcheck.errors import SnippetFailure
from snipcheck.report import Report
from snipcheck.static import crd_schema
from snipcheck.static import tier as static_tier
from snipcheck.structure import Layout

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = "tests/fixtures/crd_schema"

# fixture file -> (the line the failure names, a part of the reason it gives)
BROKEN = {
    "misspelt-field.yaml": (
        9,
        'unknown field "storageUr" in spec.predictor.sklearn of InferenceService serving.kserve.io/v1beta1: '
        'the API server would refuse it (strict validation); did you mean "storageUri"?',
    ),
    "misspelt-metadata.yaml": (6, 'unknown field "namepsace" in metadata of Notebook kubeflow.org/v1'),
    "pruned-object.yaml": (8, 'unknown field "metadata" in spec.template of Notebook kubeflow.org/v1'),
    "wrong-type.yaml": (
        10,
        "spec.trainer.numNodes of TrainJob trainer.kubeflow.org/v1alpha1 does not match its CRD schema: "
        "'two' is not of type 'integer'",
    ),
    "missing-required.yaml": (6, "'runtimeRef' is a required property"),
    "unknown-kind.yaml": (3, "no vendored schema for Notebok kubeflow.org/v1: the snippets' custom resources"),
    "unknown-api-version.yaml": (3, "no vendored schema for InferenceService serving.kserve.io/v1alpha9"),
    "second-document.yaml": (16, "spec.action of AuthorizationPolicy security.istio.io/v1 does not match"),
}
VENDORED = ("Notebook kubeflow.org/v1", "InferenceService serving.kserve.io/v1beta1", "TrainJob", "Experiment")


@pytest.fixture(scope="module")
def ctx() -> Context:
    layout = Layout(ROOT, docs=f"{FIXTURES}/no-pages", snippets=FIXTURES)
    loaded = manifest.load_group(layout.snippets_dir, layout.snippets_dir / "static" / manifest.MANIFEST_NAME)
    return Context(layout, loaded, Options(report=Path("unused.json")), Report(Path("unused.json")))


def run(ctx: Context, name: str):
    snippet = ctx.manifest.snippets[f"static/{name}"]
    return static_tier.run(snippet, snippet.tier("static"), ctx)


def test_every_fixture_is_listed(ctx):
    assert sorted(s.path.name for s in ctx.manifest.snippets.values()) == sorted([*BROKEN, "valid-resources.yaml"])


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_resource_fails_at_the_line_of_its_field(ctx, name):
    line, reason = BROKEN[name]
    with pytest.raises(SnippetFailure) as caught:
        run(ctx, name)
    text = caught.value.render()
    assert text.startswith(f"{FIXTURES}/static/{name}:{line}: static tier: "), text
    assert reason in text, text
    assert "Traceback" not in text


def test_unknown_kind_names_what_is_vendored(ctx):
    with pytest.raises(SnippetFailure) as caught:
        run(ctx, "unknown-kind.yaml")
    assert all(label in caught.value.render() for label in VENDORED)


def test_valid_resources_pass(ctx):
    assert run(ctx, "valid-resources.yaml")["yaml"] == "parsed"


REAL_YAML = sorted(p for p in (ROOT / "snippets").glob("*/*.yaml") if p.name != manifest.MANIFEST_NAME)


@pytest.mark.parametrize("path", REAL_YAML, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_real_manifest_matches_its_schema(path):
    docs = [d for d in yaml.compose_all(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader) if d is not None]
    assert crd_schema.check(docs) == []


def test_each_vendored_schema_names_its_source_and_matches_its_file_name():
    files = sorted(crd_schema.SCHEMAS.glob("*.json"))
    assert len(files) >= 5
    for path in files:
        entry = json.loads(path.read_text(encoding="utf-8"))
        group, version = entry["apiVersion"].split("/")
        assert path.name == f"{group}_{entry['kind']}_{version}.json"
        assert entry["source"]["repository"] == "kubeflow/community-distribution"
        assert entry["source"]["ref"] == "release-26.03.1"
        assert entry["openAPIV3Schema"]["type"] == "object"


def test_built_in_groups_are_not_custom_resources():
    assert all(crd_schema.is_builtin(api) for api in ("v1", "apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1"))
    assert crd_schema.is_builtin("kind.x-k8s.io/v1alpha4")
    assert not crd_schema.is_builtin("kubeflow.org/v1")
    assert not crd_schema.is_builtin("serving.kserve.io/v1beta1")
