"""The Volumes panel in Chromium: create a volume in the modal and watch its status badge follow the
back end until `available`, then extend it."""

import pytest

from core.testing.browser import browser_login
from core.testing.live import DEMO_PASSWORD
from core.testing.processes import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
HOST = "browser-vol"


@pytest.fixture(scope="module")
def volume_workers(live_cloud, tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-volumes")
    env = {"NEBULA_VOLUME_HOST": HOST, "NEBULA_VOLUME_REPORT_INTERVAL": "1",
           "NEBULA_VOLUME_BACKENDS": f"file=file:{root}"}
    live_cloud.start_worker("browser-volume-scheduler", "volume-scheduler", extra_env=env)
    live_cloud.start_worker("browser-volume-file", f"volume.{HOST}@file", extra_env=env)
    wait_for(lambda: any(p["Name"] == f"{HOST}@file#file"
                         for p in live_cloud.openstack("volume", "backend", "pool", "list")), 60, interval=1,
             what="browser back end reporting")


def test_create_and_extend_a_volume_in_the_browser(live_cloud, volume_workers, browser_page):
    page = browser_page
    browser_login(page, live_cloud, "demo", DEMO_PASSWORD)
    page.goto(f"{live_cloud.url}/dashboard/project/volumes/")
    page.get_by_role("link", name="Create Volume").click()
    page.fill("#modal-content #id_name", "from-browser")
    page.fill("#modal-content #id_size", "1")
    page.locator("[data-testid=modal-submit]").click()
    row = page.locator("#table-volumes tr", has_text="from-browser")
    row.locator(".status-badge:has-text('available')").wait_for(timeout=30000)
    row.get_by_role("link", name="Extend").click()
    page.fill("#modal-content #id_new_size", "2")
    page.locator("[data-testid=modal-submit]").click()
    page.locator("#table-volumes tr", has_text="from-browser").get_by_text("2 GiB").wait_for(timeout=30000)
    assert live_cloud.openstack("volume", "show", "from-browser", cloud="nebula-demo")["size"] == 2
