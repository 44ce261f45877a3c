"""Building the site into a folder and serving it on 127.0.0.1, for the site tests and the benchmark."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
# Debian's chromium, as the browser test and the site benchmark start it: headless on a closed network, the
# background-networking flags keep it from calling home at every start.
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def build_site(dest: Path, config: Path = ROOT / "mkdocs.yml", env: dict | None = None) -> subprocess.CompletedProcess:
    """`mkdocs build --strict -d dest`; the result keeps stdout/stderr for the caller's assertion message."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(dest)]
    return subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


_SHARED: dict[Path, tuple[Path, subprocess.CompletedProcess]] = {}


def shared_site(tmp_path_factory) -> Path:
    """The real site, built strictly once per test process (the session, or the pytest-xdist worker that runs
    the site tests) and shared by every site test, which only reads it. A failed build fails each test that
    asks for it, with MkDocs' output."""
    key = tmp_path_factory.getbasetemp()
    if key not in _SHARED:
        dest = tmp_path_factory.mktemp("site")
        _SHARED[key] = (dest, build_site(dest))
    dest, result = _SHARED[key]
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}{result.stderr}"
    assert "WARNING" not in result.stderr, result.stderr
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: link checkers and browsers reuse one connection

    def end_headers(self):
        # LinkChecker throttles every host to ten requests a second unless the host answers with this header;
        # then its own maxrequestspersecond setting applies. This server is local and ours.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, *args):  # the tests report what matters; access logs would bury it
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that drops its keep-alive connection at exit is no error of the site.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(folder: Path):
    """http://127.0.0.1:<free port>/ serving folder, for the duration of the with-block."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def nav_pages(config: Path = ROOT / "mkdocs.yml") -> list[str]:
    """The Korean page files named in mkdocs.yml's nav, in order (e.g. 'index.md', 'setup-2021.md')."""

    class _Loader(yaml.SafeLoader):
        pass

    # !!python/name tags (custom fences) are not ours to run; the nav needs none of them.
    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader)

    def walk(items):
        for item in items or []:
            if isinstance(item, str):
                yield item
            elif isinstance(item, dict):
                for value in item.values():
                    yield from ([value] if isinstance(value, str) else walk(value))

    return list(walk(data.get("nav")))


def page_url(page: str, language: str = "ko") -> str:
    """'setup-2021.md' -> 'setup-2021/' (or 'en/setup-2021/'); 'index.md' -> '' (or 'en/')."""
    stem = page[: -len(".md")]
    path = "" if stem == "index" else (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"
    return ("en/" if language == "en" else "") + path
