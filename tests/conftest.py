"""Fixtures shared by several test files."""

from __future__ import annotations

import pytest

from support.site_serve import ARGS, CHROMIUM


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium per test process: Playwright's sync API allows one running instance per
    thread, so every browser test of the process shares it (and pytest-xdist keeps them on one worker)."""
    if not CHROMIUM.exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
