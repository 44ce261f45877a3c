"""MkDocs hook: verification badges under embedded snippets, the status page, and the i18n fixes the site needs.

mkdocs-static-i18n builds once per language through the same hook module, so every event here is idempotent:
pages are rewritten from their source each time. What does not depend on the language (the report, the
snippets' hashes, the embeds) is read once per build: in on_config of the first language.
"""

from __future__ import annotations

import re
from copy import deepcopy
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

# MkDocs loads a hook from its file path, outside any package, so the imports are absolute; scripts/site
# and scripts/test install the project into the tools environment, which makes them resolve.
from snipcheck import manifest, pages
from snipcheck import report as report_format
from snipcheck.errors import ManifestError
from snipcheck.site.badges import badge_html, verdict
from snipcheck.site.comments import embed_snippets, reader
from snipcheck.site.counts import sentences, tally
from snipcheck.site.markdown import COUNTS_MARKER, STATUS_MARKER, add_badges, snippet_id
from snipcheck.site.report_view import load, report_path
from snipcheck.site.screenshots import embed as embed_screenshots
from snipcheck.site.search import drop_head_alternates, point_search_at, split_index
from snipcheck.site.status import render
from snipcheck.site.words import words

STATE: dict = {}  # one build's (both languages') report, pages and derived tables
LOADED: dict = {}  # what outlives a build in one process (mkdocs serve): the manifest, with its files' stamp
TABLE_PLACEHOLDER = "<!-- snipcheck:table {index} -->"
TABLE_SLOT = re.compile(r"<!-- snipcheck:table (\d+) -->")
# Material's search skips an element with data-search-exclude (and removes the attribute from the page after).
BADGE_PLACEHOLDER = "<!-- snipcheck:badge {index} -->"
BADGE_SLOT = re.compile(r"<!-- snipcheck:badge (\d+) -->")
# Korean pages mix in English terms (kubectl, Pipelines), so their index knows both; Material's Korean
# translation turns the stemmer pipeline off (it would cut Hangul words), the English one keeps stop words out.
SEARCH_SETTINGS = {"ko": {"lang": ["en", "ko"], "pipeline": []}, "en": {"lang": ["en"], "pipeline": ["stopWordFilter"]}}


def _i18n(config):
    return config.plugins.get("i18n")


def _current_language(config) -> str:
    plugin = _i18n(config)
    if plugin is not None and plugin.current_language:
        return plugin.current_language
    return config.theme.get("language") or "ko"


def page_language(page, config) -> str:
    """The page's language: the *.en.md suffix, else the i18n plugin's locale, else the build's language."""
    if page.file.src_uri.endswith(".en.md"):
        return "en"
    return getattr(page.file, "locale", None) or _current_language(config)


def on_config(config):
    plugin = _i18n(config)
    if plugin is not None and plugin.building and "report" in STATE:
        return config  # the i18n plugin building another language: same report, snippets and pages as the first
    root = Path(config.config_file_path).resolve().parent
    path = report_path(root)
    STATE.update(root=root, docs=Path(config.docs_dir), report_path=path, report=load(path), shas={})
    for derived in ("embeds", "embedded", "manifest", "counts"):
        STATE.pop(derived, None)
    return config


def _current_sha(sid: str) -> str | None:
    if sid not in STATE["shas"]:
        file = STATE["root"] / "snippets" / sid
        STATE["shas"][sid] = report_format.sha256(file) if file.is_file() else None
    return STATE["shas"][sid]


def _manifest() -> manifest.Manifest:
    """The snippets' manifest, loaded once per build, when a page first needs it; `mkdocs serve` rebuilds in one
    process on every save, so the one loaded from the same snippet files (names, sizes, times) is kept."""
    if "manifest" not in STATE:
        folder = STATE["root"] / "snippets"
        stamp = _stamp(folder)
        kept = LOADED.get("manifest")
        if kept is None or kept[0] != stamp:
            try:
                LOADED["manifest"] = (stamp, manifest.load(folder))
            except ManifestError as exc:
                raise PluginError(f"the badges follow the manifest, which is broken: {exc}") from None
        STATE["manifest"] = LOADED["manifest"][1]
    return STATE["manifest"]


def _stamp(folder: Path) -> tuple:
    """What the manifest is read from: every file under the folder, with its size and modification time."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found.append((path.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def _companions() -> dict[str, str]:
    """Expected-output file id -> the snippet whose output it is: such a block is checked through its snippet."""
    return _manifest().companions


def _badge(sid: str, language: str) -> str:
    report = STATE["report"]
    entries = (report or {}).get("snippets", {})
    owner = _companions().get(sid)
    if owner is None or sid in entries:
        return badge_html(verdict(entries.get(sid), _current_sha(sid), report, language), language)
    result = verdict(entries.get(owner), _current_sha(owner), report, language)
    result.text = words(language)["expected_output"].format(text=result.text)
    return badge_html(result, language)


def _page_links(language: str, page, files) -> dict:
    """snippet id -> [(URL relative to page, label)] for the pages of this language that embed it."""
    links: dict = {}
    for target, embeds in _embeds().items():
        sid = snippet_id(target)
        for embed in embeds:
            if sid and pages.language_of(embed.page) == language:
                rel = embed.page.relative_to(STATE["docs"]).as_posix()
                file = files.get_file_from_path(rel)
                if file is None:  # as MkDocs --strict fails on a Markdown link to a page it does not build
                    raise PluginError(f"{rel} embeds snippets/{sid} but is not part of the site")
                links.setdefault(sid, []).append((get_relative_url(file.url, page.url), f"{rel}:{embed.line}"))
    return links


def _embeds() -> dict:
    """Embed target -> its embeds in the pages (both languages), read once per build."""
    if "embeds" not in STATE:
        STATE["embeds"] = pages.embeds_by_target(STATE["docs"])
    return STATE["embeds"]


def _embedded() -> set[str]:
    """Every snippet id some page embeds (either language)."""
    if "embedded" not in STATE:
        STATE["embedded"] = {sid for sid in map(snippet_id, _embeds()) if sid}
    return STATE["embedded"]


def _shas() -> dict:
    """snippet id -> sha256 now, for every snippet in the report or embedded in a page."""
    return {sid: _current_sha(sid) for sid in _embedded() | set((STATE["report"] or {}).get("snippets", {}))}


def _counts(language: str) -> str:
    """The counting sentences of the home and status pages in one language, once per build."""
    counts = STATE.setdefault("counts", {})
    if language not in counts:
        counts[language] = _count_sentences(language)
    return counts[language]


def _count_sentences(language: str) -> str:
    report = STATE["report"]
    # An expected output is not a command a reader runs: it is counted through its snippet.
    commands = {sid: sha for sid, sha in _shas().items() if sid not in _companions()}
    return sentences(tally(report, commands) if report is not None else None, language)


def _status(language: str, page, files) -> str:
    """The status page's Markdown, its tables as placeholders that on_page_content replaces."""
    tables = STATE.setdefault("tables", {})[page.file.src_uri] = []

    def place(table: str) -> str:
        tables.append(table)
        return TABLE_PLACEHOLDER.format(index=len(tables) - 1)

    links = _page_links(language, page, files)
    return render(STATE["report"], language, _shas(), links, _counts(language), place)


def on_page_markdown(markdown, page, config, files):
    language = page_language(page, config)
    badges = STATE.setdefault("badges", {})[page.file.src_uri] = []

    def place(sid: str) -> str:  # Markdown passes the placeholder through; on_page_content sets the badge in
        badges.append(_badge(sid, language))
        return BADGE_PLACEHOLDER.format(index=len(badges) - 1)

    markdown = add_badges(markdown, place)
    markdown = embed_snippets(markdown, language, reader(STATE["root"]))  # comments in the page's language
    markdown = embed_screenshots(markdown, language, page, config, _manifest)  # the UI walks' screenshots, or a notice
    if COUNTS_MARKER.search(markdown):
        counts = _counts(language)
        markdown = COUNTS_MARKER.sub(lambda _: counts, markdown)
    if STATUS_MARKER.search(markdown):
        body = _status(language, page, files)
        markdown = STATUS_MARKER.sub(lambda _: body, markdown, count=1)
    return markdown


def on_page_content(html, page, config, files):
    """The status tables set in (the badges wait for on_post_page, after the search plugin has read the page)."""
    tables = STATE.get("tables", {}).pop(page.file.src_uri, None)
    if tables:
        html = TABLE_SLOT.sub(lambda m: tables[int(m[1])], html)
    return html


@event_priority(-100)
def on_page_context(context, page, config, nav):
    """Every page's language switcher leads to the same page in the other language, by a relative link
    (the i18n plugin gives home pages absolute links, which break anywhere but at site_url)."""
    alternates = getattr(page.file, "alternates", None) or {}
    # The i18n plugin sets config.extra.alternate as an attribute, which templates read before the dict item.
    for alternate in getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []:
        twin = alternates.get(alternate.get("lang"))
        if twin is not None:
            alternate["link"] = twin.url or "./"
    return context


def on_template_context(context, template_name, config):
    """404.html is served at any address: its switcher keeps the i18n plugin's absolute home links."""
    plugin = _i18n(config)
    if template_name == "404.html" and plugin is not None and plugin.extra_alternate:
        config.extra.alternate = deepcopy(plugin.extra_alternate)
    return context


def _moves_search(config) -> str | None:
    plugin = _i18n(config)
    language = _current_language(config)
    return language if plugin is not None and language != plugin.default_language else None


def on_post_page(output, page, config):
    # The badges go in only now, after the search plugin has read the page: the same line under a hundred
    # blocks would fill its index and match every search for its words.
    badges = STATE.get("badges", {}).pop(page.file.src_uri, None)
    if badges:
        output = BADGE_SLOT.sub(lambda m: f"<p>{badges[int(m[1])]}</p>", output)
    output = drop_head_alternates(output)
    language = _moves_search(config)
    return point_search_at(output, language) if language else output


def on_post_template(output_content, template_name, config):
    """Every language build writes site/404.html; the default language's one is kept."""
    if template_name != "404.html":
        return output_content
    if _moves_search(config) is None:
        STATE["default_404"] = output_content
    return STATE.get("default_404", output_content)


@event_priority(-200)  # after the i18n plugin has built every language and written the shared index
def on_post_build(config):
    plugin = _i18n(config)
    if plugin is None or plugin.building:
        return
    others = [lang for lang in plugin.build_languages if lang != plugin.default_language]
    split_index(Path(config.site_dir), plugin.default_language, others, SEARCH_SETTINGS)
