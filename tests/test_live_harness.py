import pytest

pytestmark = [pytest.mark.e2e]


def test_sdk_reads_the_live_clouds_yaml(live_cloud):
    conn = live_cloud.sdk(cloud="nebula-demo")
    assert conn.config.config["auth"]["auth_url"] == f"{live_cloud.url}/identity"
    assert conn.identity.get_endpoint_data().url.startswith(live_cloud.url)
    assert conn.current_project["name"] == "demo"
