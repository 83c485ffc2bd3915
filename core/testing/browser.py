"""Browser tests: Playwright driving Debian's chromium (no downloaded browser) against a live cloud.

Fixtures (registered in the root conftest.py): `browser` (one chromium per test, about a second)
and `browser_page` (a page in a fresh context). Helper: browser_login(page, live_cloud, user, password).
"""

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser(monkeypatch):
    """Chromium for one test. Not session scoped on purpose: Playwright's sync API keeps an asyncio
    loop running in the main thread while it is started, and Django refuses database calls from a
    thread with a running loop, so a browser left open would break every later database test.
    During the test itself the test's own database calls (fixtures, live_server) are allowed."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def browser_login(page, live_cloud, username, password, domain="Default"):
    """Log in through the dashboard's login page; waits until the overview has loaded."""
    page.goto(f"{live_cloud.url}/dashboard/auth/login/")
    page.fill("#id_domain", domain)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-button")
    page.wait_for_selector("#user-menu")
