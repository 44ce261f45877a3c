"""The static tier: each deliberately broken snippet fails at its line with its reason; the good ones pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from snipcheck import manifest
from snipcheck.context import Context, Options
from snipcheck.errors import SnippetFailure
from snipcheck.report import Report
from snipcheck.static import tier as static_tier
from snipcheck.structure import Layout

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = "tests/fixtures"

# fixture file -> (the line the failure names, a part of the reason it gives)
BROKEN = {
    "unassigned-variable.sh": (2, "SC2154"),
    "harness-variable.sh": (2, "KIND_CLUSTER_NAME is referenced but not assigned"),
    "misspelt-kubectl-flag.sh": (2, "unknown flag: --all-namespace"),
    "unknown-kubectl-command.sh": (2, "found no subcommand of that name"),
    "unknown-kubectl-subcommand.sh": (2, 'unknown command "gett" for "kubectl"'),
    "kubectl-missing-argument.sh": (2, "POD or TYPE/NAME is a required argument"),
    "shellcheck-disable-without-reason.sh": (2, "must give its reason"),
    "shellcheck-finding.sh": (2, "SC2086"),
    "syntax-error.sh": (3, "bash -n reports a syntax error"),
    "unpinned-download.sh": (2, "follows 'latest'"),
    "unpinned-pip-install.sh": (1, "pip install kfp must pin its version"),
    "unpinned-git-clone.sh": (1, "git clone https://github.com/kubeflow/manifests.git must pin a version"),
    "unpinned-branch-url.sh": (1, "moving ref 'master'"),
    "unpinned-remote-kustomization.sh": (1, "must pin a tag: ?ref=<tag>"),
    "unpinned-image.sh": (1, "uses the tag 'latest'"),
    "unpinned-go-install.sh": (1, "go install sigs.k8s.io/kind@latest must pin a version"),
    "unpinned-helm-chart.sh": (1, "must pin the chart with --version"),
    "missing-kfp-api.py": (5, "kfp.dsl.python_componentt does not exist in kfp 2."),
    "missing-kfp-v1-api.py": (9, "kfp.components.create_component_from_function does not exist in kfp 1.8"),
    "python-syntax-error.py": (5, "must be valid Python"),
    "python-compile-error.py": (5, "'return' outside function"),
    "unpinned-pip-comment.py": (1, "pip install kfp must pin its version"),
    "unpinned-url.py": (4, "follows 'latest'"),
    "unpinned-stable.sh": (2, "resolves the version at download time"),
    # Commands the shell grammar finds inside constructs a line-based reader missed.
    "kubectl-in-function.sh": (2, 'unknown command "gett" for "kubectl"'),
    "kubectl-in-for-loop.sh": (3, 'unknown command "gett" for "kubectl"'),
    "kubectl-in-if.sh": (3, 'unknown command "gett" for "kubectl"'),
    "kubectl-in-subshell.sh": (3, 'unknown command "gett" for "kubectl"'),
    "kubectl-in-substitution.sh": (2, 'unknown command "gett" for "kubectl"'),
    "kubectl-in-pipeline.sh": (2, 'unknown command "aply" for "kubectl"'),
    "kubectl-fed-by-heredoc.sh": (2, 'unknown command "aply" for "kubectl"'),
    "parser-cannot-read.sh": (2, "the shell parser (tree-sitter-bash) cannot read"),
    # pip requirements read by `packaging`: exactly one `==`, no wildcard; a repository names a tag or commit.
    "unpinned-pip-wildcard.sh": (1, "pip install kfp==2.* must pin its version with exactly one == and no wildcard"),
    "unpinned-pip-lower-bound.sh": (1, "pip install kfp>=2 must pin its version with exactly one =="),
    "unpinned-pip-vcs-branch.sh": (1, "follows the moving ref 'master'; use a release tag or a commit"),
    "unpinned-pip-vcs-no-ref.sh": (1, "must pin a tag or commit (@<tag> after the repository)"),
    "invalid-pip-requirement.sh": (1, "pip install kfp=2.17.3 is not a valid requirement (Expected semicolon"),
    "broken.yaml": (6, "must be valid YAML"),
    "kind-config-unpinned.yaml": (5, "must be pinned by digest"),
    "unpinned-image.yaml": (8, "the image busybox has no tag"),
    "workflow-schema.yaml": (4, "does not match the schema vendor.github-workflows"),
}


def context(kind: str) -> Context:
    layout = Layout(ROOT, docs=f"{FIXTURES}/{kind}/no-pages", snippets=f"{FIXTURES}/{kind}")
    # Only this tier's group: the other tiers keep their own fixtures beside it.
    loaded = manifest.load_group(layout.snippets_dir, layout.snippets_dir / "static" / manifest.MANIFEST_NAME)
    return Context(layout, loaded, Options(report=Path("unused.json")), Report(Path("unused.json")))


@pytest.fixture(scope="module")
def broken() -> Context:
    return context("broken")


@pytest.fixture(scope="module")
def good() -> Context:
    return context("good")


def run(ctx: Context, name: str):
    snippet = ctx.manifest.snippets[f"static/{name}"]
    return static_tier.run(snippet, snippet.tier("static"), ctx)


def test_every_broken_fixture_is_listed(broken):
    assert sorted(s.path.name for s in broken.manifest.snippets.values()) == sorted(BROKEN)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_snippet_fails_at_its_line_with_its_reason(broken, name):
    line, reason = BROKEN[name]
    with pytest.raises(SnippetFailure) as caught:
        run(broken, name)
    text = caught.value.render()
    assert text.startswith(f"{FIXTURES}/broken/static/{name}:{line}: static tier: "), text
    assert reason in text, text


def test_every_finding_is_listed_with_file_and_line(broken):
    with pytest.raises(SnippetFailure) as caught:
        run(broken, "kind-config-unpinned.yaml")
    listed = [row.strip() for row in caught.value.details if "kind-config-unpinned.yaml:" in row]
    assert [row.split(": ", 1)[0] for row in listed] == [
        f"{FIXTURES}/broken/static/kind-config-unpinned.yaml:5",
        f"{FIXTURES}/broken/static/kind-config-unpinned.yaml:6",
    ]
    assert "1 more finding(s) below" in caught.value.summary


@pytest.mark.parametrize(
    "name",
    [
        "assigned-variable.sh",
        "kubectl-commands.sh",
        "shellcheck-disable-with-reason.sh",
        "syntax-ok.sh",
        "pinned-downloads.sh",
        "pinned-pip.sh",
        "shell-constructs.sh",
        "kfp-v2-api.py",
        "kfp-v1-api.py",
        "kind-config.yaml",
        "workflow-schema.yaml",
        "notes.txt",
    ],
)
def test_good_snippet_passes_and_says_what_was_checked(good, name):
    assert run(good, name)


def test_kubectl_invocations_are_counted(good):
    assert run(good, "kubectl-commands.sh")["kubectl_invocations"] == 11


def test_kubectl_is_found_inside_every_shell_construct(good):
    # function 1, for 1, if 2, case 2, $(...) 1, pipeline 2, here-document 1
    assert run(good, "shell-constructs.sh")["kubectl_invocations"] == 10
