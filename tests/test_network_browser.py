"""The networking panels in Chromium against a live cloud: create a network with a subnet in the
modal, open it, and see the demo project's topology drawing."""

import pytest

from core.testing.browser import browser_login
from core.testing.live import DEMO_PASSWORD

pytestmark = [pytest.mark.browser]


def test_create_network_and_see_topology(live_cloud, browser_page):
    page = browser_page
    browser_login(page, live_cloud, "demo", DEMO_PASSWORD)
    page.goto(f"{live_cloud.url}/dashboard/project/networks/")
    page.get_by_role("link", name="Create Network").click()
    page.locator("#modal-content input[name=name]").fill("browser-net")
    page.locator("#modal-content input[name=cidr]").fill("10.123.0.0/24")
    page.locator("[data-testid=modal-submit]").click()
    page.wait_for_selector("#table-networks >> text=browser-net")
    assert "10.123.0.0/24" in page.locator("#table-networks").inner_text()
    page.locator("#table-networks >> text=browser-net").click()
    page.wait_for_selector("#table-subnets >> text=10.123.0.0/24")

    page.goto(f"{live_cloud.url}/dashboard/project/network_topology/")
    svg = page.locator("#network-topology")
    assert svg.locator(".nb-topology-network").count() >= 3  # public, private, browser-net
    assert svg.locator(".nb-topology-router").count() >= 1
    page.locator("#network-topology .nb-topology-router a").first.click()
    page.wait_for_selector("text=Router: router1")
    subnet_id = live_cloud.openstack("subnet", "list", "--network", "browser-net", cloud="nebula-demo")[0]["ID"]
    live_cloud.openstack("subnet", "delete", subnet_id, as_json=False, cloud="nebula-demo")
    live_cloud.openstack("network", "delete", "browser-net", as_json=False, cloud="nebula-demo")
