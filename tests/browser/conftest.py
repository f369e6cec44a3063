"""Real-browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

See /work/shared/BROWSER.md. Never run `playwright install`: the browser is /usr/bin/chromium.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.world import build_world

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "pw-for-tests-1"
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
TIMEOUT_MS = 10_000


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Everything under tests/browser is a browser test, marked or not: mark before `-m` selects."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-wqy-microhei")
    # Playwright's sync API keeps an event loop running in this thread; Django refuses ORM
    # calls from such a thread unless told otherwise (it reads this on every call).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _open_page(browser, live_server, options):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A desktop browser tab on the live server (relative URLs work: base_url is set)."""
    context, page = _open_page(browser, live_server, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized touch browser tab on the live server."""
    context, page = _open_page(browser, live_server, PHONE)
    yield page
    context.close()


@pytest.fixture
def world(transactional_db):
    """The test world, committed so that the live server's thread sees it."""
    return build_world()


@pytest.fixture
def log_in():
    """Log in through the real form (django-axes needs a real request)."""

    def log_in(page, username, password=PASSWORD):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        return page

    return log_in


@pytest.fixture
def screenshot(request):
    """Save a full-page PNG to test-artifacts/, named by the test and a label."""
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "-", request.node.originalname).strip("-")

    def take(page, label):
        path = ARTIFACTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
