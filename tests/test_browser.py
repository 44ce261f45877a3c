"""The built site in headless Chromium: home, language switcher, copy button, search per language, badges,
no console error and no request to another host. Screenshots go to reports/screenshots/."""

from __future__ import annotations

import contextlib
import re
import time
from urllib.parse import urlsplit

import pytest

from snipcheck import pages
from snipcheck.comment_languages import kind_of
from snipcheck.site.comments import for_language
from snipcheck.site.markdown import snippet_id
from support.site_serve import CHROMIUM, ROOT, nav_pages, page_url, serve, shared_site

SHOTS = ROOT / "reports" / "screenshots"
COPY_BUTTON = "button.md-code__button[data-md-type=copy]"
BADGE_FACTS = """badges => badges.map(b => ({
    visible: b.checkVisibility({visibilityProperty: true}) && b.getBoundingClientRect().height > 0,
    under: (b.parentElement.previousElementSibling || {}).className || "",
}))"""

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"chromium not found at {CHROMIUM}")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    with serve(shared_site(tmp_path_factory)) as base:
        yield base


class Watched:
    """A page with its console errors, page errors and requests to hosts other than 127.0.0.1 recorded."""

    def __init__(self, context):
        self.page = context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("request", self._request)

    def _request(self, request):
        if urlsplit(request.url).scheme in ("http", "https") and urlsplit(request.url).hostname != "127.0.0.1":
            self.foreign.append(request.url)

    def check_clean(self):
        assert not self.errors, f"{self.page.url}: " + "; ".join(self.errors)
        assert not self.foreign, f"{self.page.url}: requests to other hosts: {self.foreign}"


@contextlib.contextmanager
def new_tab(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.rstrip("/"))
    try:
        yield Watched(context)
    finally:
        context.close()


@pytest.fixture(scope="module")
def shared_tab(browser, site):
    """One tab for the tests that only read pages, each starting with its own goto: a new tab costs Chromium a
    renderer process, about a second of CPU. What a page keeps (Material's palette in localStorage) stays."""
    with new_tab(browser, site) as watched:
        yield watched


@pytest.fixture
def tab(shared_tab):
    """The shared tab with nothing recorded yet, checked clean after the test."""
    shared_tab.errors.clear()
    shared_tab.foreign.clear()
    yield shared_tab
    shared_tab.check_clean()


@pytest.fixture
def first_visit(browser, site):
    """A tab of its own, for what a first visit shows (the palette chosen from the system's scheme)."""
    with new_tab(browser, site) as watched:
        yield watched
        watched.check_clean()


def shot(page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def single_embeds() -> list[tuple[str, str]]:
    """(Korean nav page, snippet id) for fences that embed exactly one snippet, in nav order."""
    found = []
    for name in nav_pages():
        embeds, _ = pages.scan_page(ROOT / "docs" / name)
        lines = [e.line for e in embeds]
        for embed in embeds:
            sid = snippet_id(embed.target)
            # a neighbour embed on the next or previous line shares the fence, so the copy holds both
            if sid and embed.line - 1 not in lines and embed.line + 1 not in lines:
                found.append((name, sid))
    return found


def test_korean_home_renders(tab, site):
    tab.page.goto(site)
    assert tab.page.locator("html").get_attribute("lang") == "ko"
    assert tab.page.locator("article h1").first.is_visible()
    assert re.search(r"[가-힣]", tab.page.locator("article").inner_text()), "no Hangul in the Korean home"
    shot(tab.page, "home-ko", full_page=True)


def test_switcher_leads_to_the_twin_and_back(tab, site):
    name = next(n for n in nav_pages() if n != "index.md")
    tab.page.goto(site + page_url(name))
    tab.page.locator(".md-select").first.hover()
    tab.page.locator(".md-select__link[hreflang=en]").click()
    tab.page.wait_for_url(site + page_url(name, "en"))
    assert tab.page.locator("html").get_attribute("lang") == "en"
    shot(tab.page, f"switch-{name[:-3]}-en")
    tab.page.locator(".md-select").first.hover()
    tab.page.locator(".md-select__link[hreflang=ko]").click()
    tab.page.wait_for_url(site + page_url(name))
    assert tab.page.locator("html").get_attribute("lang") == "ko"


def test_copy_button_yields_the_snippet_file(tab, site):
    candidates = single_embeds()
    assert candidates, "no page in the nav embeds a snippet alone in a fence"
    name, sid = candidates[0]
    # The Korean page shows the file with its `# ko:` comment lines as comments and without the `# en:` ones.
    expected = for_language((ROOT / "snippets" / sid).read_text(encoding="utf-8"), kind_of(sid), "ko")
    tab.page.goto(site + page_url(name))
    blocks = tab.page.locator("div.highlight")
    # Material copies the block's text with trailing whitespace trimmed; the file's last newline is that much
    index = next(
        (i for i in range(blocks.count()) if blocks.nth(i).locator("code").inner_text().rstrip() == expected.rstrip()),
        None,
    )
    assert index is not None, f"{name}: no code block shows the Korean text of snippets/{sid}"
    blocks.nth(index).hover()
    blocks.nth(index).locator(COPY_BUTTON).click()
    copied = tab.page.evaluate("navigator.clipboard.readText()")
    assert copied == expected.rstrip("\n"), f"{name}: copy of snippets/{sid} differs from its Korean text"


def search(page, words: str, deadline: float = 20.0) -> list[str]:
    """The result links for words, typing again until the index has loaded (Material reads the box on keyup,
    and a query sent before its worker is ready is dropped)."""
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        box.click()
        box.fill("")
        box.press("End")
        box.fill(words)
        box.press("End")
        try:
            page.wait_for_function(
                "document.querySelector('.md-search-result__meta').textContent.match(/\\d/)", timeout=2000
            )
            break
        except Exception:
            continue
    links = page.locator(".md-search-result__item > a.md-search-result__link")
    assert links.count(), f"{page.url}: no result for {words!r} ({meta.inner_text()})"
    return [urlsplit(links.nth(i).get_attribute("href")).path for i in range(links.count())]


@pytest.mark.parametrize("language,words", [("ko", "파이프라인"), ("ko", "포트포워딩"), ("en", "pipeline")])
def test_search_lists_pages_of_the_same_language(tab, site, language, words):
    tab.page.goto(site + page_url("index.md", language))
    found = search(tab.page, words)
    shot(tab.page, f"search-{language}-{words}")
    wrong = [p for p in found if p.startswith("/en/") != (language == "en")]
    assert not wrong, f"search for {words!r} on a {language} page lists pages of another language: {wrong}"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_badges_are_visible_under_snippets(tab, site, language):
    with_embeds = [n for n in nav_pages() if any(snippet_id(e.target) for e in pages.scan_page(ROOT / "docs" / n)[0])]
    assert with_embeds, "no page in the nav embeds a snippet"
    for name in with_embeds:
        tab.page.goto(site + page_url(name, language))
        # One round trip per page: visible (rendered, with a size) and right after a code block, for every badge.
        badges = tab.page.eval_on_selector_all(".snipcheck-badge", BADGE_FACTS)
        assert badges, f"{page_url(name, language)}: no verification badge"
        for i, badge in enumerate(badges, 1):
            assert badge["visible"], f"{page_url(name, language)}: badge {i} is hidden"
            assert "highlight" in badge["under"], f"{page_url(name, language)}: badge {i} not under a code block"
    shot(tab.page, f"badges-{language}-{with_embeds[-1][:-3]}")


def test_dark_scheme_and_status_page(first_visit, site):
    first_visit.page.emulate_media(color_scheme="dark")
    first_visit.page.goto(site + page_url("status.md"))
    assert first_visit.page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    shot(first_visit.page, "status-ko-dark")
