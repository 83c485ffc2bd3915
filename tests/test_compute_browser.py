"""Launch an instance through the dashboard's Launch Instance form in a real browser and watch its row
turn Active without a page reload (the status cell polls while the build runs on a slow fake host)."""

import pytest

from core.testing.browser import browser_login
from core.testing.live import DEMO_PASSWORD
from core.testing.processes import wait_for

pytestmark = pytest.mark.browser
HOST = "browser-compute"


@pytest.fixture(scope="module")
def slow_compute_host(live_cloud, tmp_path_factory):
    live_cloud.start_worker("browser-conductor", "conductor")
    live_cloud.start_worker(f"{HOST}-worker", f"compute.{HOST}", extra_env={
        "NEBULA_ROLE": "compute", "NEBULA_COMPUTE_HOST": HOST, "NEBULA_COMPUTE_REPORT_INTERVAL": "1",
        "NEBULA_FAKE_DELAY": "4"})  # slow spawns: the row must show the build before it shows Active

    def host_up():
        return any(r["Host"] == HOST and r["State"] == "up"
                   for r in live_cloud.openstack("compute", "service", "list"))

    wait_for(host_up, 60, interval=1, what="the browser test's compute host")
    image_file = tmp_path_factory.mktemp("img") / "browser.raw"
    image_file.write_bytes(b"\0" * 65536)
    live_cloud.openstack("image", "create", "--file", str(image_file), "--disk-format", "raw",
                         "--container-format", "bare", "--public", "browser-image")
    return HOST


def test_launch_instance_and_watch_it_become_active(live_cloud, browser_page, slow_compute_host):
    page = browser_page
    browser_login(page, live_cloud, "demo", DEMO_PASSWORD)
    page.click("[data-panel='project/instances']")
    page.wait_for_selector("#table-instances")
    page.evaluate("window.__nebulaNoReload = true")
    page.click("[data-action=launch]")
    page.wait_for_selector("#modal.show #modal-content form")
    page.fill("#modal-content input[name=name]", "from-browser")
    page.locator("#modal-content select[name=image]").select_option(label="browser-image")
    page.locator("#modal-content select[name=flavor]").select_option(value="1")
    page.locator("#modal-content select[name=networks]").select_option(label="private")
    page.fill("#modal-content textarea[name=user_data]", "#!/bin/sh\necho hello")
    page.click("#modal-content [data-testid=modal-submit]")

    row = page.locator("#table-instances tr:has(a:text-is('from-browser'))")
    row.wait_for()
    assert row.locator(".spinner-border").count() == 1  # still building: the cell polls
    page.evaluate("window.__nebulaNoReload = true")  # the modal's success reloads once; from here, no more
    row.locator(".status-badge", has_text="Active").wait_for(timeout=30000)
    assert page.evaluate("window.__nebulaNoReload === true")
    assert "10.0.0." in row.inner_text()
    # The live cloud is shared by the whole session: leave the demo project as we found it.
    live_cloud.openstack("server", "delete", "--wait", "from-browser", cloud="nebula-demo", as_json=False)
