"""Browser fixtures: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture()
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright (skips when it is not installed)."""
    from playwright.sync_api import sync_playwright

    exe = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not exe:
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=exe,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                # pages a test serves through page.route() have no address space; let them
                # reach the local server like the shop's own pages do
                "--disable-features=LocalNetworkAccessChecks",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture()
def browser_page(browser: Any) -> object:
    """One page in a fresh browser."""
    return browser.new_page()
