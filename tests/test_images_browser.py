"""The Images panel in Chromium: create an image from a local file with the streamed upload and its
progress bar, then see it active on its detail page."""

import hashlib

import pytest

from core.testing.browser import browser_login
from core.testing.live import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_create_image_with_upload_in_the_browser(live_cloud, browser_page, tmp_path):
    data = bytes(range(256)) * 8192  # 2 MiB
    source = tmp_path / "browser.raw"
    source.write_bytes(data)
    page = browser_page
    browser_login(page, live_cloud, "demo", DEMO_PASSWORD)
    page.goto(f"{live_cloud.url}/dashboard/project/images/")
    page.get_by_role("link", name="Create Image").click()
    page.fill("#id_name", "from-browser")
    page.select_option("#id_disk_format", "raw")
    page.fill("#id_tags", "web")
    page.set_input_files("#id_file", str(source))
    page.click("[data-testid=image-create-submit]")
    page.wait_for_selector("[data-testid=image-status]:has-text('active')", timeout=30000)
    assert hashlib.md5(data).hexdigest() in page.content()
    assert "web" in page.locator("[data-testid=image-tags]").inner_text()

    shown = live_cloud.openstack("image", "show", "from-browser", cloud="nebula-demo")
    assert shown["size"] == len(data) and shown["status"] == "active"

    page.goto(f"{live_cloud.url}/dashboard/project/images/?q=from-browser")
    assert page.locator("#table-images").get_by_text("from-browser").count() == 1
