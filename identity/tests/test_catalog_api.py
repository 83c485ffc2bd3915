import pytest

pytestmark = pytest.mark.django_db
V3 = "/identity/v3"


def test_region_service_endpoint_lifecycle_reaches_the_token_catalog(api, admin_token, issue_token):
    region = api.post(f"{V3}/regions", {"region": {"id": "RegionTwo", "description": "second"}}, token=admin_token)
    assert region.status_code == 201, region.content
    assert api.post(f"{V3}/regions", {"region": {"id": "RegionTwo"}}, token=admin_token).status_code == 409
    generated = api.post(f"{V3}/regions", {"region": {"parent_region_id": "RegionTwo"}}, token=admin_token)
    assert generated.status_code == 201 and generated.json()["region"]["parent_region_id"] == "RegionTwo"
    service = api.post(f"{V3}/services", {"service": {"type": "metering", "name": "ceilometer"}},
                       token=admin_token).json()["service"]
    endpoint = api.post(f"{V3}/endpoints", {"endpoint": {
        "service_id": service["id"], "interface": "public", "url": "http://127.0.0.1:9/metering",
        "region_id": "RegionTwo"}}, token=admin_token)
    assert endpoint.status_code == 201, endpoint.content
    endpoint = endpoint.json()["endpoint"]
    assert endpoint["region"] == "RegionTwo" and endpoint["region_id"] == "RegionTwo"

    token = issue_token("demo", "demopw", "demo")
    catalog = api.get(f"{V3}/auth/catalog", token=token).json()["catalog"]
    metering = next(entry for entry in catalog if entry["type"] == "metering")
    assert metering["endpoints"][0]["url"] == "http://127.0.0.1:9/metering"

    listed = api.get(f"{V3}/endpoints?service_id={service['id']}&interface=public&region_id=RegionTwo",
                     token=admin_token).json()["endpoints"]
    assert [e["id"] for e in listed] == [endpoint["id"]]
    assert api.get(f"{V3}/endpoints?interface=internal&service_id={service['id']}",
                   token=admin_token).json()["endpoints"] == []
    assert [s["name"] for s in api.get(f"{V3}/services?type=metering", token=admin_token).json()["services"]] \
        == ["ceilometer"]

    moved = api.patch(f"{V3}/endpoints/{endpoint['id']}", {"endpoint": {"url": "http://127.0.0.1:10/m"}},
                      token=admin_token)
    assert moved.json()["endpoint"]["url"] == "http://127.0.0.1:10/m"
    catalog = api.get(f"{V3}/auth/catalog", token=token).json()["catalog"]
    assert next(e for e in catalog if e["type"] == "metering")["endpoints"][0]["url"] == "http://127.0.0.1:10/m"

    # A region in use by an endpoint cannot go.
    assert api.delete(f"{V3}/regions/RegionTwo", token=admin_token).status_code == 409
    assert api.delete(f"{V3}/services/{service['id']}", token=admin_token).status_code == 204
    assert api.get(f"{V3}/endpoints/{endpoint['id']}", token=admin_token).status_code == 404
    catalog = api.get(f"{V3}/auth/catalog", token=token).json()["catalog"]
    assert "metering" not in {entry["type"] for entry in catalog}


@pytest.mark.parametrize("endpoint,status", [
    ({"interface": "public", "url": "http://x"}, 400),
    ({"service_id": "missing", "interface": "public", "url": "http://x"}, 404),
    ({"service_id": "SERVICE", "interface": "sideways", "url": "http://x"}, 400),
    ({"service_id": "SERVICE", "interface": "public", "url": 5}, 400),
    ({"service_id": "SERVICE", "interface": "public", "url": "http://x", "region_id": "Nowhere"}, 404),
])
def test_bad_endpoints(api, admin_token, endpoint, status):
    service = api.get(f"{V3}/services?type=identity", token=admin_token).json()["services"][0]
    if endpoint.get("service_id") == "SERVICE":
        endpoint = {**endpoint, "service_id": service["id"]}
    response = api.post(f"{V3}/endpoints", {"endpoint": endpoint}, token=admin_token)
    assert response.status_code == status, response.content


def test_members_read_regions_but_not_the_catalog_admin_api(api, demo_token):
    assert api.get(f"{V3}/regions", token=demo_token).status_code == 200
    assert api.get(f"{V3}/services", token=demo_token).status_code == 403
    assert api.get(f"{V3}/endpoints", token=demo_token).status_code == 403
    assert api.post(f"{V3}/regions", {"region": {"id": "x"}}, token=demo_token).status_code == 403
