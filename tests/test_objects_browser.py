"""The Containers panel in Chromium: create a public container, upload a file into a folder, browse
to it, fetch it anonymously through its public URL, delete it."""

import urllib.request

import pytest

from core.testing.browser import browser_login
from core.testing.live import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_container_browser(live_cloud, browser_page, tmp_path):
    source = tmp_path / "notes.txt"
    source.write_bytes(b"browser upload\n")
    page = browser_page
    browser_login(page, live_cloud, "demo", DEMO_PASSWORD)
    page.goto(f"{live_cloud.url}/dashboard/project/containers/")
    page.get_by_role("link", name="Create Container").click()
    page.locator("#modal-content input[name=name]").fill("web-files")
    page.locator("#modal-content input[name=public]").check()
    page.locator("[data-testid=modal-submit]").click()
    page.wait_for_selector("#table-containers >> text=web-files")
    page.locator("#table-containers").get_by_role("link", name="web-files").click()

    page.locator("[data-testid=upload-form] input[name=name]").fill("docs/notes.txt")
    page.set_input_files("[data-testid=upload-form] input[name=file]", str(source))
    page.locator("[data-testid=upload-form] button[type=submit]").click()
    page.wait_for_selector("#table-objects >> text=docs/")
    page.locator("#table-objects").get_by_role("link", name="docs/").click()
    page.locator("#table-objects").get_by_role("link", name="notes.txt").click()
    url = page.locator("[data-testid=public-url]").inner_text()
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"browser upload\n"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").click()
    page.wait_for_selector("text=Deleted")
    listing = live_cloud.openstack("object", "list", "web-files", cloud="nebula-demo")
    assert listing == []
