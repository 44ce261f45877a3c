"""Screenshots of the harness's UI walks on the pages: `<!-- snipcheck:screenshots NAME -->` on its own line.

The cluster tier's walk NAME leaves `reports/screenshots/NAME/` (another folder with SNIPCHECK_SCREENSHOTS):
`NN-what.png` beside `NN-what.json`, a sidecar with `walk`, `order`, `what`, `caption` ({en, ko}), `taken`
(UTC, ...Z), `url`, `kfp_version`, `kfp_version_from` and `image` (its format is written in
cluster/ui_walk.py; this module reads the files only, as the layers keep the site apart from the tiers).
At the marker, each screenshot becomes a figure with its caption in the page's language and its date, and
the PNG is copied beside the page in the built site. Without screenshots the marker becomes a notice that
the walk has not run yet and where it runs (never a stand-in image). A broken sidecar stops the build with
one line naming the file.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from mkdocs.exceptions import PluginError

from snipcheck import manifest
from snipcheck.errors import ManifestError

MARKER = re.compile(r"^<!-- snipcheck:screenshots ([a-z0-9][a-z0-9-]*) -->[ \t]*$", re.MULTILINE)
ROOT_ENV = "SNIPCHECK_SCREENSHOTS"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WORDS = {
    "ko": {
        "none": (
            "화면 점검(`{name}`)이 아직 끝까지 실행된 적이 없어서 보여 줄 스크린숏이 없습니다. 이 점검은 주간 클러스터 "
            "워크플로에서 kind 클러스터 체인 `{chain}`의 `{step}` 단계가 통과한 뒤, Chromium으로 위 절차를 따라가며 "
            "실행됩니다. 끝까지 실행되면 단계마다 찍은 화면이 찍은 날짜와 함께 여기에 나옵니다."
        ),
        "title": "화면 점검 스크린숏",
        "summary": "{date}(UTC)에 Playwright로 Chromium을 움직여 위 절차를 따라가며 찍은 화면입니다.{version}",
        "version": " 대상 버전은 Kubeflow Pipelines {version}입니다({source}).",
        "ui": "UI가 알려 준 버전",
        "chain pin": "체인이 설치하는 버전",
        "taken": "{time} UTC에 찍음",
    },
    "en": {
        "none": (
            "The UI walk `{name}` has not run to its end yet, so there are no screenshots to show. It runs in the "
            "weekly cluster workflow, in the kind cluster chain `{chain}`, once the step `{step}` passes: Chromium "
            "follows the steps above. After a complete walk, the screenshot of each point appears here with its date."
        ),
        "title": "Screenshots of the UI walk",
        "summary": "Taken on {date} (UTC) by Chromium, driven by Playwright through the steps above.{version}",
        "version": " Kubeflow Pipelines {version} ({source}).",
        "ui": "as the UI reports it",
        "chain pin": "as the chain installs it",
        "taken": "taken {time} UTC",
    },
}


class ScreenshotError(ValueError):
    """A screenshot folder that cannot be shown; the message names the file."""


@dataclass(frozen=True)
class Shot:
    order: int
    caption: dict
    taken: datetime
    image: Path
    kfp_version: str | None
    version_from: str | None


def screenshots_root(root: Path) -> Path:
    return Path(os.environ.get(ROOT_ENV) or root / "reports" / "screenshots")


def load(folder: Path, name: str) -> list[Shot]:
    """The walk's screenshots in its order; [] when it has none. ScreenshotError on anything broken."""
    if not folder.is_dir():
        return []
    shots = [_shot(sidecar, name) for sidecar in sorted(folder.glob("*.json"))]
    for image in sorted(folder.glob("*.png")):
        if not image.with_suffix(".json").is_file():
            raise ScreenshotError(f"{image}: no sidecar {image.with_suffix('.json').name} (when, what, caption)")
    return sorted(shots, key=lambda s: s.order)


def _shot(sidecar: Path, name: str) -> Shot:
    def broken(what: str) -> ScreenshotError:
        return ScreenshotError(f"{sidecar}: {what}")

    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise broken(f"not a JSON sidecar ({exc})") from None
    if not isinstance(data, dict):
        raise broken("must be a JSON object")
    if data.get("walk") != name:
        raise broken(f"walk is {data.get('walk')!r}, but the folder is {name!r}")
    caption = data.get("caption")
    if not isinstance(caption, dict) or not all(isinstance(caption.get(k), str) and caption[k] for k in WORDS):
        raise broken("caption must give both en and ko")
    if not isinstance(data.get("order"), int):
        raise broken("order must be a whole number")
    try:
        taken = datetime.strptime(str(data.get("taken")), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise broken(f"taken must be a UTC time like 2026-12-02T10:11:12Z, not {data.get('taken')!r}") from None
    image = sidecar.parent / str(data.get("image"))
    if image.suffix != ".png" or image.parent != sidecar.parent or not image.is_file():
        raise broken(f"image {data.get('image')!r} is not a PNG file beside it")
    if image.read_bytes()[:8] != PNG_SIGNATURE:
        raise broken(f"image {image.name} is not a PNG")
    version = data.get("kfp_version")
    return Shot(data["order"], caption, taken, image, str(version) if version else None, data.get("kfp_version_from"))


def where_it_runs(
    root: Path, name: str, load_manifest: Callable[[], manifest.Manifest] | None = None
) -> tuple[str, str]:
    """(chain, step) of the cluster step that declares the walk, from the manifest (the build's own, when given)."""
    try:
        snippets = (load_manifest() if load_manifest else manifest.load(root / "snippets")).snippets
    except ManifestError as exc:
        raise PluginError(f"the screenshots follow the manifest, which is broken: {exc}") from None
    for sid, snippet in sorted(snippets.items()):
        walk = snippet.tiers["cluster"].ui_walk if snippet.tiers["cluster"].applies else None
        if walk is not None and walk.name == name:
            return snippet.chain or "?", sid
    raise PluginError(f"<!-- snipcheck:screenshots {name} -->: no cluster step declares ui_walk {name}")


def render(
    markdown: str,
    language: str,
    *,
    root: Path,
    shots_root: Path,
    dest: Path | None,
    prefix: str,
    load_manifest: Callable[[], manifest.Manifest] | None = None,
) -> str:
    """Replace each marker: figures (their PNGs copied into dest, linked as prefix/<file>), else the notice."""
    words = WORDS[language]

    def one(match: re.Match) -> str:
        name = match.group(1)
        shots = load(shots_root / name, name)
        if not shots:
            chain, step = where_it_runs(root, name, load_manifest)
            return f'!!! info "{words["title"]}"\n    ' + words["none"].format(name=name, chain=chain, step=step)
        if dest is not None:
            (dest / name).mkdir(parents=True, exist_ok=True)
            for shot in shots:
                shutil.copyfile(shot.image, dest / name / shot.image.name)
        return _figures(shots, words, language, f"{prefix}{name}")

    return MARKER.sub(one, markdown)


def _figures(shots: list[Shot], words: dict, language: str, folder: str) -> str:
    first = shots[0]
    version = (
        words["version"].format(version=first.kfp_version, source=words.get(first.version_from or "", "?"))
        if first.kfp_version
        else ""
    )
    rows = [
        f'<div class="snipcheck-screenshots" lang="{language}">',
        f"<p><strong>{html.escape(words['title'])}</strong>: ",
    ]
    rows[-1] += html.escape(words["summary"].format(date=first.taken.date().isoformat(), version=version)) + "</p>"
    for shot in shots:
        src = html.escape(str(PurePosixPath(folder) / shot.image.name))
        caption = html.escape(shot.caption[language])
        when = html.escape(words["taken"].format(time=shot.taken.strftime("%Y-%m-%d %H:%M")))
        rows += [
            "<figure>",
            f'<a href="{src}"><img src="{src}" alt="{caption}" loading="lazy"></a>',
            f"<figcaption>{shot.order}. {caption} ({when})</figcaption>",
            "</figure>",
        ]
    return "\n".join([*rows, "</div>"])


def embed(markdown: str, language: str, page, config, load_manifest=None) -> str:
    """The hook's one call: markers of this page rendered, PNGs copied beside the page's output."""
    if not MARKER.search(markdown):
        return markdown
    root = Path(config.config_file_path).resolve().parent
    page_dir = PurePosixPath(page.file.dest_uri).parent
    try:
        return render(
            markdown,
            language,
            root=root,
            shots_root=screenshots_root(root),
            dest=Path(config.site_dir) / page_dir,
            prefix="",
            load_manifest=load_manifest,
        )
    except ScreenshotError as exc:
        raise PluginError(str(exc)) from None
