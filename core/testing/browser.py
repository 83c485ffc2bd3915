"""Browser tests: Playwright driving Debian's chromium (no downloaded browser) against a live cloud.

Fixtures (registered in the root conftest.py): `browser` (session scoped) and `browser_page` (a
fresh context and page per test). Helper: browser_login(page, live_cloud, user, password).
"""

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

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
