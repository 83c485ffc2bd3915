"""Status cells refresh themselves in a real browser: htmx polls the row while the status is in
progress and stops once it is final."""

import pytest

from dashboard.tests import polling_urls

pytestmark = [pytest.mark.browser, pytest.mark.urls("dashboard.tests.polling_urls")]


def test_row_polls_until_status_is_final(live_server, browser_page):
    page = browser_page
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "_row=" in request.url else None)
    polling_urls.ROWS[0]["status"] = "BUILD"
    try:
        page.goto(f"{live_server.url}/machines/")
        row = page.locator("#row-machines-vm1")
        assert "BUILD" in row.inner_text()
        assert page.locator("#row-machines-vm2").get_attribute("hx-get") is None
        page.wait_for_function("() => window.htmx !== undefined")
        page.wait_for_timeout(2500)
        assert any("_row=vm1" in url for url in requests), "the in-progress row never polled"
        assert not any("_row=vm2" in url for url in requests)
        polling_urls.ROWS[0]["status"] = "ACTIVE"
        page.wait_for_selector("#row-machines-vm1 .text-bg-success", timeout=5000)
        assert page.locator("#row-machines-vm1").get_attribute("hx-get") is None
        settled = len(requests)
        page.wait_for_timeout(2500)
        assert len(requests) == settled, "polling went on after the status became final"
    finally:
        polling_urls.ROWS[0]["status"] = "BUILD"
