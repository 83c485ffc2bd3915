"""The real `openstack` CLI against a live Nebula: tokens and the catalog."""

import pytest

pytestmark = [pytest.mark.e2e]


def test_token_issue_and_revoke(live_cloud):
    token = live_cloud.openstack("token", "issue")
    assert token["project_id"] and token["user_id"] and token["expires"]
    live_cloud.openstack("token", "revoke", token["id"], as_json=False)
    # The revoked token no longer works for anything.
    result = live_cloud.openstack("catalog", "list", env={"OS_AUTH_TYPE": "token", "OS_TOKEN": token["id"]},
                                  check=False)
    assert result.returncode != 0


def test_catalog_list_as_demo(live_cloud):
    catalog = live_cloud.openstack("catalog", "list", cloud="nebula-demo")
    types = {entry["Type"] for entry in catalog}
    assert {"identity", "compute", "image", "network", "object-store", "volumev3"} <= types
