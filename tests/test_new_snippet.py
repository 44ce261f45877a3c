"""scripts/new-snippet: creates the file and its entry, keeps checks.yaml's comments, prints the embed lines."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from snipcheck import manifest
from snipcheck.errors import ManifestError

REPO = Path(__file__).resolve().parent.parent
HELPER = REPO / "scripts" / "new-snippet"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "selection"


@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    return root


def _new(root: Path, target: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(HELPER), "--root", str(root), target], capture_output=True, text=True, timeout=60
    )


def _fill_reasons(manifest_path: Path) -> None:
    """What the contributor does next: turn the placeholders into real reasons."""
    text = manifest_path.read_text(encoding="utf-8")
    manifest_path.write_text(text.replace('"TODO: ', '"'), encoding="utf-8")


def test_adds_file_entry_and_prints_embed_lines(site):
    before = (site / "snippets/alpha/checks.yaml").read_text(encoding="utf-8")
    done = _new(site, "alpha/03-list.sh")
    assert done.returncode == 0, done.stderr
    assert (site / "snippets/alpha/03-list.sh").is_file()
    after = (site / "snippets/alpha/checks.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # comments and order untouched: the entry is appended
    assert after[len(before) :].startswith('  03-list.sh:\n    static: {}\n    local:\n      en: "TODO: ')
    assert '\n      ko: "TODO: ' in after[len(before) :]  # where the Korean reason goes
    assert '```bash\n--8<-- "snippets/alpha/03-list.sh"\n```' in done.stdout
    assert "docs/index.en.md, docs/index.md" in done.stdout
    _fill_reasons(site / "snippets/alpha/checks.yaml")
    entry = manifest.load(site / "snippets").snippets["alpha/03-list.sh"]
    assert entry.tiers["static"].applies and not entry.tiers["local"].applies
    assert entry.tiers["local"].reason_ko.startswith("같은 이유를 한국어로")


def _schema_named_by(checks_yaml_text: str, group: str) -> Path:
    """The file the yaml-language-server modeline (the first line) names, placed in this repository."""
    first = checks_yaml_text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), first
    return (REPO / "snippets" / group / first.partition("$schema=")[2]).resolve()


def test_new_group_gets_its_checks_yaml(site):
    done = _new(site, "gamma/hello.py")
    assert done.returncode == 0, done.stderr
    text = (site / "snippets/gamma/checks.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("# How each file") and "  hello.py:\n    static: {}\n" in text
    assert _schema_named_by(text, "gamma") == REPO / "src/snipcheck/schemas/checks.schema.json"
    assert '```python\n--8<-- "snippets/gamma/hello.py"\n```' in done.stdout
    _fill_reasons(site / "snippets/gamma/checks.yaml")
    assert manifest.load(site / "snippets").snippets["gamma/hello.py"].lang == "python"


def test_a_nested_group_names_the_schema_from_its_depth(site):
    assert _new(site, "gamma/deep/hello.sh").returncode == 0
    text = (site / "snippets/gamma/deep/checks.yaml").read_text(encoding="utf-8")
    assert _schema_named_by(text, "gamma/deep") == REPO / "src/snipcheck/schemas/checks.schema.json"


def test_entry_goes_into_the_snippets_block_when_a_key_follows(site):
    path = site / "snippets/beta/checks.yaml"
    text = path.read_text(encoding="utf-8")
    chain = "chain:\n  name: beta-chain\n  kind: v0.20.0\n  node_image: kindest/node:v1.21.14@sha256:" + "1" * 64 + "\n"
    path.write_text(text + "\n" + chain, encoding="utf-8")
    assert _new(site, "beta/third.sh").returncode == 0
    _fill_reasons(path)
    loaded = manifest.load(site / "snippets")
    assert "beta/third.sh" in loaded.snippets and "beta-chain" in loaded.chains
    after = path.read_text(encoding="utf-8")
    assert after.endswith('shown on the Korean pages)"\n\n' + chain)
    assert after.index("  third.sh:") < after.index("chain:")


def test_refuses_to_overwrite_a_file(site):
    before = (site / "snippets/alpha/checks.yaml").read_text(encoding="utf-8")
    done = _new(site, "alpha/hello.sh")
    assert done.returncode == 1
    assert done.stderr == "scripts/new-snippet: snippets/alpha/hello.sh already exists; it is left as it is\n"
    assert (site / "snippets/alpha/hello.sh").read_text(encoding="utf-8") == "echo hello\n"
    assert (site / "snippets/alpha/checks.yaml").read_text(encoding="utf-8") == before


def test_refuses_an_entry_that_exists_without_its_file(site):
    (site / "snippets/alpha/hello.sh").unlink()
    done = _new(site, "alpha/hello.sh")
    assert done.returncode == 1 and "already has an entry for hello.sh" in done.stderr
    assert not (site / "snippets/alpha/hello.sh").exists()


@pytest.mark.parametrize(
    "target, message",
    [
        ("hello.sh", "give GROUP/FILE"),
        ("../outside/x.sh", "give GROUP/FILE"),
        ("alpha/notes.md", "a snippet ends in one of"),
        ("alpha/checks.yaml", "not a reserved name"),
    ],
)
def test_refuses_bad_targets(site, target, message):
    done = _new(site, target)
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr


def test_untouched_placeholder_is_refused_by_the_manifest(site):
    assert _new(site, "alpha/03-list.sh").returncode == 0
    with pytest.raises(ManifestError, match=r"checks.yaml:\d+: local: the reason is still a placeholder \('TODO: "):
        manifest.load(site / "snippets")
