"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Where Chromium is not installed (apt-get install -y chromium) they are
skipped, and pytest's summary says why; .ci/run installs it and sets
PORTAL_REQUIRE_SERVICES=1, so in CI a missing browser fails them.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.services import missing

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
# The live server runs in a thread of this process; Playwright's sync API
# runs an event loop in it too, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        missing("Chromium", "apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


def browser_settings(live_server):
    """A German reader's browser: German dates in date fields, Berlin time in the admin."""
    return {
        "viewport": {"width": 1280, "height": 900},
        "base_url": live_server.url,
        "locale": "de-DE",
        "timezone_id": "Europe/Berlin",
    }


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(**browser_settings(live_server))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name):
    """The page at phone and desktop width, for people to look at (not compared)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
