"""The real site, built strictly with the current report: a badge under every embedded snippet in both languages,
every snippet on the status page, nothing loaded from another host, valid canonical and sitemap links."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from snipcheck import pages
from snipcheck.site.markdown import add_badges
from support.site_serve import ROOT, nav_pages, page_url, shared_site

SITE_URL_KEY = re.compile(r"^site_url:\s*(\S+)", re.M)
FOREIGN_LOADS = [
    re.compile(r'<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc="(?:https?:)?//[^"]*"'),
    re.compile(r'<link\b[^>]*rel="(?:stylesheet|preload|modulepreload|icon|preconnect|dns-prefetch)"[^>]*>'),
    re.compile(r'class="mermaid"'),  # Material fetches Mermaid from a CDN for these blocks
]
CDN_FIXTURE = Path(__file__).parent / "fixtures" / "site" / "cdn" / "page.html"


def foreign_loads(text: str) -> list[str]:
    """Everything in a page that makes the browser fetch from another host as it opens."""
    found = []
    for pattern in FOREIGN_LOADS:
        found += [
            m[0] for m in pattern.finditer(text) if "<link" not in m[0] or re.search(r'href="(?:https?:)?//', m[0])
        ]
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return shared_site(tmp_path_factory)  # built once for every site test of this process


def site_url() -> str:
    return SITE_URL_KEY.search((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))[1]


def expected_badges(source: Path) -> int:
    """How many badges the hook places in a page: one per snippet embedded in a fence."""
    return add_badges(source.read_text(encoding="utf-8"), lambda sid: "\0BADGE\0").count("\0BADGE\0")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_badge_under_every_embedded_snippet(site, language):
    for name in nav_pages():
        source = ROOT / "docs" / (name if language == "ko" else name[:-3] + ".en.md")
        built = (site / page_url(name, language) / "index.html").read_text(encoding="utf-8")
        assert built.count('class="snipcheck-badge') == expected_badges(source), f"{source}: badges missing"


@pytest.mark.parametrize("language,other", [("ko", "en"), ("en", "ko")])
def test_switcher_links_to_the_twin_page_on_every_page(site, language, other):
    for name in nav_pages():
        here = page_url(name, language)
        built = (site / here / "index.html").read_text(encoding="utf-8")
        link = re.search(rf'<a href="([^"]*)" hreflang="{other}" class="md-select__link">', built)
        assert link, f"/{here}: no {other} link in the language switcher"
        target, twin = posixpath.join("/" + here, link[1]), "/" + page_url(name, other)
        assert posixpath.normpath(target) == posixpath.normpath(twin), f"/{here}: the switcher leads to {link[1]}"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_status_page_lists_every_embedded_snippet(site, language):
    text = (site / page_url("status.md", language) / "index.html").read_text(encoding="utf-8")
    assert "snipcheck:status" not in text
    for target in pages.embeds_by_target(ROOT / "docs"):
        if target.startswith("snippets/"):
            assert f"<code>{target[len('snippets/') :]}</code>" in text, f"status page misses {target}"


def test_the_cdn_fixture_is_caught():
    assert len(foreign_loads(CDN_FIXTURE.read_text(encoding="utf-8"))) == 5


def test_nothing_loads_from_another_host(site):
    for page in site.rglob("*.html"):
        found = foreign_loads(page.read_text(encoding="utf-8"))
        assert not found, f"{page.relative_to(site)} loads from another host: {found}"
    for sheet in site.rglob("*.css"):
        assert not re.search(r"(@import|url\()\s*['\"]?(https?:)?//", sheet.read_text(encoding="utf-8")), sheet


def test_theme_fonts_off_and_repo_facts_off():
    config = yaml.safe_load(re.sub(r"!!python/name:\S+", "null", (ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
    assert config["theme"]["font"] is False, "theme.font must be false: Material would load Google Fonts"
    assert "repo_url" not in config, "repo_url makes Material fetch api.github.com on every page load"


def test_canonical_links_and_sitemap_point_into_the_site(site):
    base = site_url()
    assert base.startswith("https://") and base.endswith("/")
    for page in site.rglob("index.html"):
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page.read_text(encoding="utf-8"))
        assert canonical, f"{page.relative_to(site)}: no canonical link"
        folder = page.parent.relative_to(site).as_posix()
        expected = base if folder == "." else f"{base}{folder}/"
        assert canonical[1] == expected, f"{page.relative_to(site)}: canonical {canonical[1]}, expected {expected}"
    locs = [e.text for e in ET.parse(site / "sitemap.xml").iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.startswith(base + "en/") for loc in locs), "sitemap has no English page"
    for loc in locs:
        assert loc.startswith(base), loc
        assert (site / loc[len(base) :] / "index.html").exists(), f"sitemap lists {loc}, which the build lacks"


@pytest.mark.parametrize(
    "language, words",
    [("ko", "위 명령의 실제 출력과 비교하는 기대 출력 · "), ("en", "Expected output, compared with the command")],
)
def test_an_expected_output_block_shows_the_result_of_its_command(site, language, words):
    # snippets/kfp-v2/run_local.out is no command: its badge tells what was done with the step it belongs to.
    text = (site / page_url("pipelines-sdk.md", language) / "index.html").read_text(encoding="utf-8")
    block = text.index("result: 42.0")
    badge = re.search(r'class="snipcheck-text">([^<]*)<', text[block:])
    assert badge and badge.group(1).replace("&#x27;", "'").startswith(words), badge
