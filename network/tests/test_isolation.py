"""Another project sees none of a project's networking unless it is shared (wildcard or RBAC)."""

import pytest

from network.models import Network

BASE = "/network/v2.0"
COLLECTIONS = ("networks", "subnets", "ports", "routers", "floatingips", "security-groups", "security-group-rules")


@pytest.fixture
def demo_stuff(api, net_cloud, demo_token):
    """One of everything in the demo project."""
    def post(url, body):
        response = api.post(BASE + url, body=body, token=demo_token)
        assert response.status_code in (200, 201), response.content
        return response.json()

    private = Network.objects.get(name="private")
    port = post("/ports", {"port": {"network_id": private.id, "name": "demo-port"}})["port"]
    public = Network.objects.get(name="public")
    fip = post("/floatingips", {"floatingip": {"floating_network_id": public.id, "port_id": port["id"]}})
    group = post("/security-groups", {"security_group": {"name": "demo-sg"}})["security_group"]
    router = api.get(BASE + "/routers?name=router1", token=demo_token).json()["routers"][0]
    return {"networks": private.id, "subnets": private.subnets.get().id, "ports": port["id"],
            "routers": router["id"], "floatingips": fip["floatingip"]["id"], "security-groups": group["id"],
            "security-group-rules": group["security_group_rules"][0]["id"]}


def test_other_project_sees_nothing_of_demo(api, demo_stuff, other_token):
    for collection in COLLECTIONS:
        listed = api.get(f"{BASE}/{collection}", token=other_token).json()[collection.replace("-", "_")]
        assert demo_stuff[collection] not in {item["id"] for item in listed}, collection
        ident = demo_stuff[collection]
        assert api.get(f"{BASE}/{collection}/{ident}", token=other_token).status_code == 404, collection
        assert api.delete(f"{BASE}/{collection}/{ident}", token=other_token).status_code == 404, collection
    # Only the public network (external) is visible to it, and its own default group.
    names = {n["name"] for n in api.get(f"{BASE}/networks", token=other_token).json()["networks"]}
    assert names == {"public"}
    groups = api.get(f"{BASE}/security-groups", token=other_token).json()["security_groups"]
    assert [g["name"] for g in groups] == ["default"]
    assert api.put(f"{BASE}/networks/{demo_stuff['networks']}", body={"network": {"name": "x"}},
                   token=other_token).status_code == 404
    assert api.post(f"{BASE}/ports", body={"port": {"network_id": demo_stuff["networks"]}},
                    token=other_token).status_code == 404
    assert api.put(f"{BASE}/routers/{demo_stuff['routers']}/add_router_interface",
                   body={"subnet_id": demo_stuff["subnets"]}, token=other_token).status_code == 404


def test_rbac_shares_one_network_with_one_project(api, demo_stuff, demo_token, other_token, other_project,
                                                  admin_token):
    net = demo_stuff["networks"]
    policy = api.post(f"{BASE}/rbac-policies", token=demo_token, body={"rbac_policy": {
        "object_type": "network", "object_id": net, "action": "access_as_shared",
        "target_tenant": other_project.id}})
    assert policy.status_code == 201, policy.content
    policy = policy.json()["rbac_policy"]
    assert policy["target_tenant"] == other_project.id and policy["object_id"] == net
    dup = api.post(f"{BASE}/rbac-policies", token=demo_token, body={"rbac_policy": {
        "object_type": "network", "object_id": net, "action": "access_as_shared", "target_tenant": other_project.id}})
    assert dup.status_code == 409 and dup.json()["NeutronError"]["type"] == "DuplicateRbacPolicy"
    # Only admin may share with everyone.
    wildcard = api.post(f"{BASE}/rbac-policies", token=demo_token, body={"rbac_policy": {
        "object_type": "network", "object_id": net, "action": "access_as_shared", "target_tenant": "*"}})
    assert wildcard.status_code == 403
    # The other project sees the network and its subnet, and may plug a port into it.
    assert api.get(f"{BASE}/networks/{net}", token=other_token).status_code == 200
    assert api.get(f"{BASE}/subnets/{demo_stuff['subnets']}", token=other_token).status_code == 200
    port = api.post(f"{BASE}/ports", body={"port": {"network_id": net}}, token=other_token)
    assert port.status_code == 201
    # ...but not the demo's ports on it, nor rename it.
    assert api.get(f"{BASE}/ports/{demo_stuff['ports']}", token=other_token).status_code == 404
    assert api.put(f"{BASE}/networks/{net}", body={"network": {"name": "mine"}}, token=other_token).status_code \
        == 403
    # The other project cannot see or remove the policy; the owner cannot while the port is there.
    assert api.get(f"{BASE}/rbac-policies/{policy['id']}", token=other_token).status_code == 404
    in_use = api.delete(f"{BASE}/rbac-policies/{policy['id']}", token=demo_token)
    assert in_use.status_code == 409 and in_use.json()["NeutronError"]["type"] == "RbacPolicyInUse"
    assert api.delete(f"{BASE}/ports/{port.json()['port']['id']}", token=other_token).status_code == 204
    assert api.delete(f"{BASE}/rbac-policies/{policy['id']}", token=demo_token).status_code == 204
    assert api.get(f"{BASE}/networks/{net}", token=other_token).status_code == 404


def test_shared_flag_shares_with_everyone(api, net_cloud, admin_token, other_token):
    made = api.post(f"{BASE}/networks", body={"network": {"name": "everyone", "shared": True}}, token=admin_token)
    assert made.status_code == 201 and made.json()["network"]["shared"] is True
    net = made.json()["network"]["id"]
    policies = api.get(f"{BASE}/rbac-policies?object_id={net}", token=admin_token).json()["rbac_policies"]
    assert [(p["action"], p["target_tenant"]) for p in policies] == [("access_as_shared", "*")]
    assert "everyone" in {n["name"] for n in api.get(f"{BASE}/networks", token=other_token).json()["networks"]}
    api.post(f"{BASE}/subnets", body={"subnet": {"network_id": net, "cidr": "10.77.0.0/24", "ip_version": 4}},
             token=admin_token)
    port = api.post(f"{BASE}/ports", body={"port": {"network_id": net}}, token=other_token)
    assert port.status_code == 201
    # Unsharing while another project has a port there is refused.
    refused = api.put(f"{BASE}/networks/{net}", body={"network": {"shared": False}}, token=admin_token)
    assert refused.status_code == 409
    api.delete(f"{BASE}/ports/{port.json()['port']['id']}", token=other_token)
    assert api.put(f"{BASE}/networks/{net}", body={"network": {"shared": False}}, token=admin_token).json()[
        "network"]["shared"] is False
    assert api.get(f"{BASE}/networks/{net}", token=other_token).status_code == 404


def test_admin_sees_every_project(api, demo_stuff, admin_token):
    for collection in COLLECTIONS:
        listed = api.get(f"{BASE}/{collection}", token=admin_token).json()[collection.replace("-", "_")]
        assert demo_stuff[collection] in {item["id"] for item in listed}, collection


def test_rbac_external_access_for_one_project(api, net_cloud, admin_token, other_token, other_project):
    made = api.post(f"{BASE}/networks", body={"network": {"name": "ext-for-other"}}, token=admin_token).json()
    net = made["network"]["id"]
    api.post(f"{BASE}/subnets", body={"subnet": {"network_id": net, "cidr": "10.88.0.0/24", "ip_version": 4}},
             token=admin_token)
    refused = api.post(f"{BASE}/floatingips", body={"floatingip": {"floating_network_id": net}}, token=other_token)
    assert refused.status_code == 404  # not even visible yet
    policy = api.post(f"{BASE}/rbac-policies", token=admin_token, body={"rbac_policy": {
        "object_type": "network", "object_id": net, "action": "access_as_external",
        "target_tenant": other_project.id}})
    assert policy.status_code == 201
    fip = api.post(f"{BASE}/floatingips", body={"floatingip": {"floating_network_id": net}}, token=other_token)
    assert fip.status_code == 201 and fip.json()["floatingip"]["floating_ip_address"].startswith("10.88.0.")
    router = api.post(f"{BASE}/routers", body={"router": {"name": "r", "external_gateway_info": {
        "network_id": net}}}, token=other_token)
    assert router.status_code == 201
