"""Snippet comments per language: the format check catches each broken fixture, the site shows each page only
its own language's comments, and a real browser copies them so (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from snipcheck import comment_languages, manifest, pages, structure
from snipcheck.site.comments import embed_snippets, for_language
from snipcheck.site.markdown import snippet_id
from support.site_serve import ROOT, serve, shared_site

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "comment_languages"
CHECK = "snippet comments in both languages"
COPY_BUTTON = "button.md-code__button[data-md-type=copy]"


# The format check ----------------------------------------------------------------------------------------------

BROKEN = {
    # fixture file: the message its snippet must get
    "ko-without-en.sh": "snippets/demo/ko-without-en.sh:1: this ko comment block has no en block right after it",
    "en-without-ko.py": "snippets/demo/en-without-ko.py:5: this en comment block has no ko block right before it",
    "en-before-ko.sh": "snippets/demo/en-before-ko.sh:2: this ko comment block has no en block right after it",
    "gap.sh": "snippets/demo/gap.sh:3: this en comment block has no ko block right before it",
    "unmarked.yaml": "snippets/demo/unmarked.yaml:7: the comment '# The node image of kind v0.32.0.' has no "
    "language marker; write it as '# ko: ' lines (Korean) followed by '# en: ' lines (English)",
    "trailing.py": "snippets/demo/trailing.py:3: the comment '# the port-forward above' follows code",
    "trailing.sh": "snippets/demo/trailing.sh:1: the comment '# every pod of the cluster' follows code",
    "misspelt.sh": "snippets/demo/misspelt.sh:1: the marker of '#ko: 노드 목록' is misspelt",
}


def _problems(name: str) -> list[str]:
    path = FIXTURES / "broken" / name
    kind = comment_languages.kind_of(path)
    assert kind, f"{name}: not a commented file kind"
    return comment_languages.problems(path.read_text(encoding="utf-8"), kind, f"snippets/demo/{name}")


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_comment_fixture_is_caught(name):
    found = _problems(name)
    assert any(BROKEN[name] in row for row in found), f"{name}: expected {BROKEN[name]!r} in {found}"


def test_every_broken_comment_fixture_is_listed():
    assert {p.name for p in (FIXTURES / "broken").iterdir()} == set(BROKEN)


def test_a_paragraph_without_marker_is_reported_once():
    found = comment_languages.problems("# first line\n# second line\necho hi\n", "shell", "snippets/x.sh")
    assert found == [
        "snippets/x.sh:1: the comment '# first line' has no language marker; "
        "write it as '# ko: ' lines (Korean) followed by '# en: ' lines (English)"
    ]


def test_the_good_layout_passes_the_structural_check():
    # Shebang, shellcheck/noqa/type/coding/yaml-language-server lines, heredocs, docstrings, block scalars and
    # an expected-output file (demo/hello.yaml) all hold lines starting with '#' that are not prose comments.
    assert structure.CHECKS[CHECK](structure.Layout(FIXTURES / "good")) == []


def test_the_structural_check_names_snippet_and_line(monkeypatch):
    monkeypatch.chdir(FIXTURES / "layout-broken")
    assert structure.CHECKS[CHECK](structure.Layout(Path("."))) == [
        "snippets/demo/lonely.sh:2: this ko comment block has no en block right after it; "
        "add the English as '# en: ' lines on the next line"
    ]


# The transform -------------------------------------------------------------------------------------------------

YAML = """\
# ko: 노드 하나.
# en: One node.
nodes:
  - role: control-plane
    # ko: 노드 이미지.
    # ko:
    # en: The node image.
    # en:
    image: kindest/node:v1.36.1
"""


def test_a_page_keeps_its_language_with_the_indent():
    assert for_language(YAML, "yaml", "ko") == (
        "# 노드 하나.\nnodes:\n  - role: control-plane\n    # 노드 이미지.\n    #\n    image: kindest/node:v1.36.1\n"
    )
    assert for_language(YAML, "yaml", "en") == (
        "# One node.\nnodes:\n  - role: control-plane\n    # The node image.\n    #\n    image: kindest/node:v1.36.1\n"
    )


def test_markers_inside_text_are_left_alone():
    python = 'NOTE = """\n# ko: a string line\n"""\n# ko: 주석\n# en: comment\n'
    assert for_language(python, "python", "en") == 'NOTE = """\n# ko: a string line\n"""\n# comment\n'
    shell = "cat <<'EOF'\n# en: heredoc text\nEOF\n"
    assert for_language(shell, "shell", "ko") == shell
    assert for_language("# ko: 출력\n", None, "en") == "# ko: 출력\n"  # an expected output is not code


def test_embeds_in_fences_are_written_out_per_language():
    files = {"snippets/g/a.sh": "# ko: 안녕\n# en: hello\necho hi\n"}
    page = "\n".join(
        [
            "```bash",
            '--8<-- "snippets/g/a.sh"',
            "```",
            "    ```bash",
            '    --8<-- "snippets/g/a.sh"',
            "    ```",
            "```text",
            ';--8<-- "snippets/g/a.sh"',  # an escaped embed is text to show
            '--8<-- "snippets/g/a.sh:1:2"',  # a line range stays with pymdownx.snippets
            '--8<-- "snippets/g/missing.sh"',  # so does a missing file (its check_paths names it)
            "```",
            '--8<-- "snippets/g/a.sh"',  # outside a fence: not ours
        ]
    )
    assert embed_snippets(page, "ko", files.get).split("\n") == [
        "```bash",
        "# 안녕",
        "echo hi",
        "",
        "```",
        "    ```bash",
        "    # 안녕",
        "    echo hi",
        "    ",
        "    ```",
        "```text",
        ';--8<-- "snippets/g/a.sh"',
        '--8<-- "snippets/g/a.sh:1:2"',
        '--8<-- "snippets/g/missing.sh"',
        "```",
        '--8<-- "snippets/g/a.sh"',
    ]


# The built site ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return shared_site(tmp_path_factory)


def _text(page: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


def _html_language(page: Path, site: Path) -> str:
    return "en" if page.relative_to(site).parts[0] == "en" else "ko"


def _prose_comments(language: str) -> dict[str, list[str]]:
    """snippet id -> its comment lines as a page in `language` shows them ('# ' + text), for every snippet shown
    as code that has language markers."""
    snippets = ROOT / "snippets"
    outputs = set(manifest.load(snippets).companions)
    found = {}
    for sid in manifest.snippet_files(snippets):
        kind = comment_languages.kind_of(sid)
        if kind is None or sid in outputs:
            continue
        text = (snippets / sid).read_text(encoding="utf-8")
        lines = [
            f"# {m['text']}"
            for c in comment_languages.comments(text, kind)
            if c.own_line and (m := comment_languages.MARKER.match(c.text)) and m["language"] == language and m["text"]
        ]
        if lines:
            found[sid] = lines
    return found


MARKER_IN_SITE = re.compile(r"#\s*(ko|en):[^\n<\"]{0,40}")


def test_no_language_marker_reaches_the_site(site):
    # Pages as a reader sees their text, and the search indexes as written.
    texts = {page: _text(page) for page in site.rglob("*.html")}
    texts.update({index: index.read_text(encoding="utf-8") for index in site.rglob("*.json")})
    leaks = [
        f"{page.relative_to(site)}: {match.group(0)!r}"
        for page, text in sorted(texts.items())
        for match in MARKER_IN_SITE.finditer(text)
    ]
    assert not leaks, "language markers in the built site:\n" + "\n".join(leaks)


@pytest.mark.parametrize("language, other", [("ko", "en"), ("en", "ko")])
def test_each_page_shows_its_comments_and_not_the_others(site, language, other):
    own, foreign = _prose_comments(language), _prose_comments(other)
    assert own, f"no snippet has {language} comments"
    shown: dict[str, str] = {}
    embedded = {
        snippet_id(target): [e.page for e in embeds] for target, embeds in pages.embeds_by_target(ROOT / "docs").items()
    }
    problems = []
    for sid, lines in own.items():
        for source in embedded.get(sid, []):
            if pages.language_of(source) != language:
                continue
            page = _built_page(site, source)
            text = shown.setdefault(str(page), _text(page))
            problems += [f"{page.relative_to(site)}: misses {line!r} of {sid}" for line in lines if line not in text]
    for page in sorted(site.rglob("*.html")):
        if _html_language(page, site) != language:
            continue
        text = shown.setdefault(str(page), _text(page))
        problems += [
            f"{page.relative_to(site)}: shows {line!r} of {sid}"
            for sid, lines in foreign.items()
            for line in lines
            if line in text
        ]
    assert not problems, "\n".join(problems)


def _built_page(site: Path, source: Path) -> Path:
    rel = source.relative_to(ROOT / "docs").as_posix()
    language = pages.language_of(source)
    stem = rel[: -len(".en.md")] if language == "en" else rel[: -len(".md")]
    folder = "" if stem == "index" else stem
    return site / ("en" if language == "en" else "") / folder / "index.html"


# The copy button, in a real browser ----------------------------------------------------------------------------

# One shell and one Python snippet, each embedded alone in a fence of the SDK page.
COPIED = ["kfp-v2/install-sdk.sh", "kfp-v2/pipeline_v2.py"]


@pytest.fixture(scope="module")
def served(site):
    with serve(site) as base:
        yield base


@pytest.fixture(scope="module")
def sdk_page(browser, served):
    """The SDK page of each language, opened once in a browser of that locale and shared by the copy tests,
    which only read it and the clipboard (a tab costs Chromium a renderer process)."""
    opened = {}

    def page_of(language: str):
        if language not in opened:
            context = browser.new_context(locale="ko-KR" if language == "ko" else "en-US")
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.rstrip("/"))
            opened[language] = (context, context.new_page())
            opened[language][1].goto(served + ("en/" if language == "en" else "") + "pipelines-sdk/")
        return opened[language][1]

    yield page_of
    for context, _ in opened.values():
        context.close()


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("sid", COPIED)
def test_the_copy_button_gives_the_pages_language(sdk_page, sid, language):
    source = (ROOT / "snippets" / sid).read_text(encoding="utf-8")
    expected = for_language(source, comment_languages.kind_of(sid), language).rstrip("\n")
    own = _prose_comments(language)[sid]
    foreign = _prose_comments("en" if language == "ko" else "ko")[sid]
    tab = sdk_page(language)
    blocks = tab.locator("div.highlight")
    texts = [blocks.nth(i).locator("code").inner_text().rstrip() for i in range(blocks.count())]
    assert expected in texts, f"no code block of the {language} SDK page shows {sid} in {language}"
    block = blocks.nth(texts.index(expected))
    block.hover()
    block.locator(COPY_BUTTON).click()
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert copied == expected, f"the copy of {sid} on the {language} page differs from its {language} text"
    assert all(line in copied for line in own)
    assert not [line for line in foreign if line in copied], f"the {language} copy of {sid} holds the other language"
    assert not re.search(r"#\s*(ko|en):", copied)
