"""The Nova v2.1 API through the Django test client: bodies, microversion headers and the 4xx paths."""

import pytest

from compute.models import Instance

pytestmark = pytest.mark.django_db
V = "/compute/v2.1"


def create(api, token, cloud, **server):
    body = {"name": "vm", "flavorRef": "1", "imageRef": cloud["image"], "networks": [{"uuid": cloud["network"]}]}
    body.update(server)
    return api.post(f"{V}/servers", {"server": body}, token=token)


def test_versions_and_microversion_headers(api, compute_cloud, demo_token):
    root = api.get("/compute")
    assert root.status_code == 200 and root.json()["versions"][0]["id"] == "v2.1"
    doc = api.get(V).json()["version"]
    assert (doc["min_version"], doc["status"]) == ("2.1", "CURRENT")
    response = api.get(f"{V}/flavors", token=demo_token, headers={"OpenStack-API-Version": "compute 2.1"})
    assert response["OpenStack-API-Version"] == "compute 2.1"
    assert response["X-OpenStack-Nova-API-Version"] == "2.1"
    too_new = api.get(f"{V}/flavors", token=demo_token, headers={"OpenStack-API-Version": "compute 9.99"})
    assert too_new.status_code == 406
    garbage = api.get(f"{V}/flavors", token=demo_token, headers={"X-OpenStack-Nova-API-Version": "two"})
    assert garbage.status_code == 400 and "badRequest" in garbage.json()


def test_flavors_bodies(api, compute_cloud, demo_token, admin_token):
    brief = api.get(f"{V}/flavors", token=demo_token).json()["flavors"]
    assert set(brief[0]) == {"id", "name", "links"}
    detail = api.get(f"{V}/flavors/detail?is_public=None", token=demo_token).json()["flavors"]
    nano = next(f for f in detail if f["name"] == "m1.nano")
    assert (nano["ram"], nano["vcpus"], nano["disk"], nano["os-flavor-access:is_public"]) == (128, 1, 1, True)
    forbidden = api.post(f"{V}/flavors", {"flavor": {"name": "x", "ram": 1, "vcpus": 1, "disk": 0}}, token=demo_token)
    assert forbidden.status_code == 403 and "forbidden" in forbidden.json()
    made = api.post(f"{V}/flavors", {"flavor": {"name": "private.one", "ram": 64, "vcpus": 1, "disk": 0, "id": None,
                                                "os-flavor-access:is_public": False}}, token=admin_token)
    assert made.status_code == 200
    flavor_id = made.json()["flavor"]["id"]
    assert api.get(f"{V}/flavors/{flavor_id}", token=demo_token).status_code == 404
    specs = api.post(f"{V}/flavors/{flavor_id}/os-extra_specs", {"extra_specs": {"hw:cpu_policy": "shared"}},
                     token=admin_token)
    assert specs.json() == {"extra_specs": {"hw:cpu_policy": "shared"}}
    bad = api.post(f"{V}/flavors", {"flavor": {"name": "y", "ram": "lots", "vcpus": 1, "disk": 0}}, token=admin_token)
    assert bad.status_code == 400
    assert api.get(f"{V}/flavors/m1.nano", token=demo_token).status_code == 404


def test_keypairs_generate_and_import(api, compute_cloud, demo_token):
    generated = api.post(f"{V}/os-keypairs", {"keypair": {"name": "gen"}}, token=demo_token).json()["keypair"]
    assert generated["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    imported = api.post(f"{V}/os-keypairs", {"keypair": {"name": "imp", "public_key": generated["public_key"]}},
                        token=demo_token)
    assert imported.json()["keypair"]["fingerprint"] == generated["fingerprint"]
    assert api.post(f"{V}/os-keypairs", {"keypair": {"name": "imp", "public_key": generated["public_key"]}},
                    token=demo_token).status_code == 409
    assert api.post(f"{V}/os-keypairs", {"keypair": {"name": "bad", "public_key": "ssh-rsa nope"}},
                    token=demo_token).status_code == 400
    listed = api.get(f"{V}/os-keypairs", token=demo_token).json()["keypairs"]
    assert sorted(k["keypair"]["name"] for k in listed) == ["gen", "imp"]
    assert api.delete(f"{V}/os-keypairs/gen", token=demo_token).status_code == 202
    assert api.get(f"{V}/os-keypairs/gen", token=demo_token).status_code == 404


def test_create_show_list_delete(api, compute_cloud, demo_token):
    with compute_cloud["run"]():
        response = create(api, demo_token, compute_cloud)
    assert response.status_code == 202
    created = response.json()["server"]
    assert set(created) == {"id", "links", "adminPass", "OS-DCF:diskConfig", "security_groups"}
    server = api.get(f"{V}/servers/{created['id']}", token=demo_token).json()["server"]
    assert server["status"] == "ACTIVE" and server["OS-EXT-STS:power_state"] == 1
    [address] = server["addresses"]["private"]
    assert set(address) == {"addr", "version", "OS-EXT-IPS:type", "OS-EXT-IPS-MAC:mac_addr"}
    assert "OS-EXT-SRV-ATTR:host" not in server
    listed = api.get(f"{V}/servers?name=^v", token=demo_token).json()["servers"]
    assert [s["id"] for s in listed] == [created["id"]]
    assert api.get(f"{V}/servers/detail?status=SHUTOFF", token=demo_token).json()["servers"] == []
    with compute_cloud["run"]():
        assert api.delete(f"{V}/servers/{created['id']}", token=demo_token).status_code == 204
    assert api.get(f"{V}/servers/{created['id']}", token=demo_token).status_code == 404


def test_create_4xx(api, compute_cloud, demo_token):
    cases = [({"flavorRef": "nope"}, 400), ({"imageRef": "00000000-0000-0000-0000-000000000000"}, 400),
             ({"networks": [{"uuid": "x"}]}, 400), ({"min_count": "many"}, 400), ({"name": ""}, 400),
             ({"key_name": "missing"}, 400), ({"metadata": {"k": 1}}, 400)]
    for override, status in cases:
        response = create(api, demo_token, compute_cloud, **override)
        assert response.status_code == status, (override, response.content)
        assert "badRequest" in response.json()
    malformed = api.post(f"{V}/servers", raw="{not json", token=demo_token)
    assert malformed.status_code == 400
    assert api.post(f"{V}/servers", {"nothing": 1}, token=demo_token).status_code == 400
    assert not Instance.objects.exists()


def test_quota_exceeded_is_novas_403(api, compute_cloud, demo_token, admin_token):
    project = compute_cloud["demo"].project_id
    put = api.put(f"{V}/os-quota-sets/{project}", {"quota_set": {"instances": 0}}, token=admin_token)
    assert put.status_code == 200 and put.json()["quota_set"]["instances"] == 0
    response = create(api, demo_token, compute_cloud)
    assert response.status_code == 403
    assert response.json() == {"forbidden": {"code": 403, "message": "Quota exceeded for instances: Requested 1, "
                                                                     "but already used 0 of 0 instances"}}
    limits = api.get(f"{V}/limits", token=demo_token).json()["limits"]["absolute"]
    assert limits["maxTotalInstances"] == 0 and limits["totalInstancesUsed"] == 0


def test_foreign_server_and_locked_actions(api, compute_cloud, demo_token, admin_token):
    with compute_cloud["run"]():
        server_id = create(api, admin_token, compute_cloud, networks="none").json()["server"]["id"]
    assert api.get(f"{V}/servers/{server_id}", token=demo_token).status_code == 404
    assert api.post(f"{V}/servers/{server_id}/action", {"os-stop": None}, token=demo_token).status_code == 404
    with compute_cloud["run"]():
        mine = create(api, demo_token, compute_cloud).json()["server"]["id"]
    assert api.post(f"{V}/servers/{mine}/action", {"lock": None}, token=demo_token).status_code == 202
    locked = api.post(f"{V}/servers/{mine}/action", {"os-stop": None}, token=demo_token)
    assert locked.status_code == 409 and "conflictingRequest" in locked.json()
    assert api.post(f"{V}/servers/{mine}/action", {"reboot": {"type": "GENTLE"}}, token=demo_token).status_code == 400
    assert api.post(f"{V}/servers/{mine}/action", {"fly": None}, token=demo_token).status_code == 400
    assert api.post(f"{V}/servers/{mine}/action", {"unlock": None}, token=demo_token).status_code == 202
    wrong_state = api.post(f"{V}/servers/{mine}/action", {"os-start": None}, token=demo_token)
    assert wrong_state.status_code == 409


def test_actions_and_events(api, compute_cloud, demo_token):
    with compute_cloud["run"]():
        server_id = create(api, demo_token, compute_cloud).json()["server"]["id"]
    with compute_cloud["run"]():
        assert api.post(f"{V}/servers/{server_id}/action", {"os-stop": None}, token=demo_token).status_code == 202
    assert api.get(f"{V}/servers/{server_id}", token=demo_token).json()["server"]["status"] == "SHUTOFF"
    actions = api.get(f"{V}/servers/{server_id}/os-instance-actions", token=demo_token).json()["instanceActions"]
    assert [a["action"] for a in actions] == ["stop", "create"]
    detail = api.get(f"{V}/servers/{server_id}/os-instance-actions/{actions[1]['request_id']}",
                     token=demo_token).json()["instanceAction"]
    assert {e["event"] for e in detail["events"]} == {"conductor_schedule_and_build_instances",
                                                      "compute_build_and_run_instance"}
    output = api.post(f"{V}/servers/{server_id}/action", {"os-getConsoleOutput": {"length": 50}}, token=demo_token)
    assert "Power down." in output.json()["output"]


def test_error_server_shows_its_fault(api, compute_cloud, demo_token, settings):
    settings.FAKE_COMPUTE_FAIL = ["spawn"]
    from compute import manager

    manager._drivers.clear()
    try:
        with compute_cloud["run"]():
            server_id = create(api, demo_token, compute_cloud).json()["server"]["id"]
    finally:
        manager._drivers.clear()
    server = api.get(f"{V}/servers/{server_id}", token=demo_token).json()["server"]
    assert server["status"] == "ERROR"
    assert "Exhausted all hosts" in server["fault"]["message"] and server["fault"]["code"] == 500
    events = Instance.objects.get(id=server_id).actions.get().events.filter(event="compute_build_and_run_instance")
    assert sorted(events.values_list("host", flat=True)) == ["fake-a", "fake-b"]


def test_admin_apis(api, compute_cloud, admin_token, demo_token):
    services = api.get(f"{V}/os-services", token=admin_token).json()["services"]
    assert {(s["host"], s["state"], s["status"]) for s in services} == {("fake-a", "up", "enabled"),
                                                                        ("fake-b", "up", "enabled")}
    assert api.get(f"{V}/os-services", token=demo_token).status_code == 403
    disabled = api.put(f"{V}/os-services/disable", {"host": "fake-a", "binary": "nova-compute"}, token=admin_token)
    assert disabled.json()["service"]["status"] == "disabled"
    hypervisors = api.get(f"{V}/os-hypervisors/detail", token=admin_token).json()["hypervisors"]
    assert {h["hypervisor_hostname"] for h in hypervisors} == {"fake-a", "fake-b"}
    assert hypervisors[0]["vcpus"] == 16
    stats = api.get(f"{V}/os-hypervisors/statistics", token=admin_token).json()["hypervisor_statistics"]
    assert stats["count"] == 2 and stats["vcpus"] == 32
    assert api.get(f"{V}/os-hypervisors/999", token=admin_token).status_code == 404
    aggregate = api.post(f"{V}/os-aggregates", {"aggregate": {"name": "fast", "availability_zone": "az1"}},
                         token=admin_token).json()["aggregate"]
    added = api.post(f"{V}/os-aggregates/{aggregate['id']}/action", {"add_host": {"host": "fake-b"}},
                     token=admin_token)
    assert added.json()["aggregate"]["hosts"] == ["fake-b"]
    assert api.post(f"{V}/os-aggregates/{aggregate['id']}/action", {"add_host": {"host": "nowhere"}},
                    token=admin_token).status_code == 404
    zones = api.get(f"{V}/os-availability-zone", token=demo_token).json()["availabilityZoneInfo"]
    assert {z["zoneName"] for z in zones} == {"az1"}  # fake-a is disabled, so zone nova is not available
    groups = api.post(f"{V}/os-server-groups", {"server_group": {"name": "g", "policies": ["anti-affinity"]}},
                      token=demo_token).json()["server_group"]
    assert groups["policies"] == ["anti-affinity"] and groups["members"] == []
    assert api.post(f"{V}/os-server-groups", {"server_group": {"name": "g", "policies": ["sideways"]}},
                    token=demo_token).status_code == 400
    quota = api.get(f"{V}/os-quota-sets/{compute_cloud['demo'].project_id}/detail", token=demo_token).json()
    assert quota["quota_set"]["instances"] == {"limit": 10, "in_use": 0, "reserved": 0}


def test_servers_detail_query_count_is_fixed(api, compute_cloud, demo_token, django_assert_max_num_queries):
    # servers (with flavors joined) + their faults + their volume attachments + the quota-free token path: the
    # same for 3 or 10 servers.
    with compute_cloud["run"]():
        create(api, demo_token, compute_cloud, min_count=3, max_count=3)
    with django_assert_max_num_queries(5):
        assert len(api.get(f"{V}/servers/detail", token=demo_token).json()["servers"]) == 3
    with compute_cloud["run"]():
        create(api, demo_token, compute_cloud, name="more", min_count=7, max_count=7)
    with django_assert_max_num_queries(5):
        assert len(api.get(f"{V}/servers/detail", token=demo_token).json()["servers"]) == 10
