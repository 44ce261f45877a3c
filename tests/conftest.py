"""Fixtures shared by several test files."""

from __future__ import annotations

import signal

import pytest

from support.site_serve import ARGS, CHROMIUM

# A suite started in the background (`scripts/test > log &`) inherits SIGINT ignored, as the shell sets it for
# background jobs, and the engine's Ctrl+C tests would see no KeyboardInterrupt, in this process or in the
# sessions it starts (an ignored signal stays ignored across exec). They test what a terminal's Ctrl+C does.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


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
