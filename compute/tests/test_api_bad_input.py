"""Odd bodies and parameters on every compute endpoint: always a Nova error body with a 4xx, never a 500."""

import json

import pytest

pytestmark = pytest.mark.django_db
V = "/compute/v2.1"
ODD_VALUES = [None, 0, -1, True, "", "x" * 300, [], {}, [1], {"a": {"b": 1}}, 1.5]


def _check(response):
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        body = response.json()
        assert len(body) == 1 and set(next(iter(body.values()))) == {"code", "message"}, body


def test_server_bodies(api, compute_cloud, demo_token):
    base = {"name": "vm", "flavorRef": "1", "imageRef": compute_cloud["image"], "networks": "none"}
    for key in ("name", "flavorRef", "imageRef", "networks", "block_device_mapping_v2", "key_name", "user_data",
                "metadata", "availability_zone", "security_groups", "config_drive", "min_count", "max_count",
                "adminPass", "accessIPv4"):
        for value in ODD_VALUES:
            _check(api.post(f"{V}/servers", {"server": {**base, key: value}}, token=demo_token))
    for body in (None, [], "x", {"server": None}, {"server": []}, {"server": {}}):
        _check(api.post(f"{V}/servers", raw=json.dumps(body), token=demo_token))
    for query in ("limit=x", "limit=-1", "marker=nope", "sort_key=bad", "sort_dir=up", "changes-since=yesterday",
                  "name=(", "status=nothing", "all_tenants=1", "host=x", "ip=(", "deleted=true"):
        _check(api.get(f"{V}/servers/detail?{query}", token=demo_token))


def test_action_bodies(api, compute_cloud, demo_token):
    with compute_cloud["run"]():
        server_id = api.post(f"{V}/servers", {"server": {"name": "vm", "flavorRef": "1", "networks": "none",
                                                         "imageRef": compute_cloud["image"]}},
                             token=demo_token).json()["server"]["id"]
    for action in ("os-stop", "reboot", "rebuild", "resize", "createImage", "os-getConsoleOutput", "migrate",
                   "lock", "confirmResize", "revertResize", "pause", "nonsense"):
        for value in ODD_VALUES:
            with compute_cloud["run"]():
                _check(api.post(f"{V}/servers/{server_id}/action", {action: value}, token=demo_token))
    for value in ODD_VALUES:
        _check(api.put(f"{V}/servers/{server_id}", {"server": {"name": value}}, token=demo_token))
        _check(api.post(f"{V}/servers/{server_id}/metadata", {"metadata": {"k": value}}, token=demo_token))
    _check(api.post(f"{V}/servers/{server_id}/action", {"os-stop": None, "os-start": None}, token=demo_token))
    _check(api.get(f"{V}/servers/not-a-uuid", token=demo_token))
    _check(api.get(f"{V}/servers/{server_id}/os-instance-actions/req-nope", token=demo_token))


def test_admin_bodies(api, compute_cloud, admin_token):
    project = compute_cloud["demo"].project_id
    for value in ODD_VALUES:
        _check(api.post(f"{V}/flavors", {"flavor": {"name": "f", "ram": value, "vcpus": 1, "disk": 0}},
                        token=admin_token))
        _check(api.post(f"{V}/flavors", {"flavor": {"name": value, "ram": 64, "vcpus": 1, "disk": 0}},
                        token=admin_token))
        _check(api.post(f"{V}/os-keypairs", {"keypair": {"name": "k", "public_key": value}}, token=admin_token))
        _check(api.put(f"{V}/os-quota-sets/{project}", {"quota_set": {"instances": value}}, token=admin_token))
        _check(api.post(f"{V}/os-aggregates", {"aggregate": {"name": value}}, token=admin_token))
        _check(api.post(f"{V}/os-server-groups", {"server_group": {"name": "g", "policies": value}},
                        token=admin_token))
        _check(api.put(f"{V}/os-services/disable", {"host": value, "binary": "nova-compute"}, token=admin_token))
        _check(api.put(f"{V}/os-services/force-down", {"host": "fake-a", "binary": "nova-compute",
                                                       "forced_down": value}, token=admin_token))
        _check(api.post(f"{V}/flavors/1/os-extra_specs", {"extra_specs": {"k": value}}, token=admin_token))
        _check(api.post(f"{V}/flavors/1/action", {"addTenantAccess": {"tenant": value}}, token=admin_token))
    aggregate = api.post(f"{V}/os-aggregates", {"aggregate": {"name": "agg"}}, token=admin_token).json()["aggregate"]
    for value in ODD_VALUES:
        _check(api.post(f"{V}/os-aggregates/{aggregate['id']}/action", {"add_host": {"host": value}},
                        token=admin_token))
        _check(api.post(f"{V}/os-aggregates/{aggregate['id']}/action", {"set_metadata": {"metadata": value}},
                        token=admin_token))
    for path in ("os-hypervisors/x", "os-hypervisors/999/uptime", "os-aggregates/x", "os-server-groups/x",
                 "flavors/nope/os-extra_specs", "os-keypairs/nope", "os-quota-sets/x/detail"):
        _check(api.get(f"{V}/{path}", token=admin_token))
