"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Where Chromium is not installed (apt-get install -y chromium) they are
skipped, and pytest's summary says why; .ci/run installs it and sets
PORTAL_REQUIRE_SERVICES=1, so in CI a missing browser fails them.
"""

import os
import shutil
import threading
import time
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
    close_every_page(chromium)


def close_every_page(chromium):
    """Close every browser context the test opened, then let the live server answer the rest.

    Open admin forms keep talking to the server (presence every 20 s, autosave,
    and a beacon of each when the page goes): a context left open would send
    them into the next test, and a beacon still being answered while the test's
    database is emptied (TRUNCATE) deadlocks with it.
    """
    for context in list(chromium.contexts):
        context.close()
    settle_live_server()


def settle_live_server(seconds=5.0):
    """Wait (at most ``seconds``) until the live server has no request in hand.

    Its ThreadedWSGIServer answers each request in a thread of its own, named
    after socketserver's process_request_thread; a beacon sent as a page closed
    may still be on its way, hence the short first wait.
    """
    time.sleep(0.2)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.05)


def screenshot(page, name):
    """The page at phone and desktop width, for people to look at (not compared)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
