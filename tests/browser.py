"""What every browser test shares: headless Chromium against the live server, the world it reads, signing in.

A browser test module imports the fixtures it uses from here (pytest finds fixtures by their names in the
test module), and carries ``pytestmark = pytest.mark.browser``. The module is skipped as a whole where
Playwright or Chromium is missing. Screenshots land in $SERVICEPACT_SCREENSHOTS (default: the test's
temporary directory).
"""

import os
import re
from pathlib import Path

import pytest

from servicepact.testing.factories import PASSWORD
from servicepact.testing.fixtures import build_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

playwright_api = pytest.importorskip("playwright.sync_api")
if not CHROMIUM.exists():
    pytest.skip("headless Chromium is not installed at /usr/bin/chromium (make sysdeps)", allow_module_level=True)

expect = playwright_api.expect


@pytest.fixture
def browser_world(transactional_db, settings):
    # The live server runs in another thread: the data must be committed, hence transactional_db.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SERVICEPACT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser(monkeypatch):
    """One headless Chromium for the test; ``new_page`` opens a fresh context (its own cookies) in it."""
    # Playwright's sync API runs an event loop in this thread; the test's own ORM reads are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


def new_page(browser, viewport: dict = LAPTOP, locale: str = "en-US"):
    return browser.new_context(viewport=viewport, locale=locale).new_page()


@pytest.fixture
def page(browser):
    """A page at a laptop's size, for tests that need one person at a time."""
    return new_page(browser)


def log_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def log_out(page) -> None:
    page.click("header form button:has-text('Log out'), header form button:has-text('退出')")
    page.wait_for_url(re.compile(r"/accounts/login/"))
