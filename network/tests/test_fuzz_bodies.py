"""Every attribute of every create and update body, given a value of the wrong kind, answers 2xx or
a NeutronError 4xx: never a 500 and never a half-written record."""

import pytest

from network.api.resources import RESOURCES
from network.models import Network, Port, Router
from network.services import networks, ports, routers, rbac, security_groups

BASE = "/network/v2.0"
ODD_VALUES = [None, 7, "x", "", [], {}, True, [{"a": 1}], 1.5, "10.0.0.0/8"]
CREATE_ATTRS = {
    "networks": networks.NETWORK_CREATE, "subnets": networks.SUBNET_CREATE, "ports": ports.PORT_CREATE,
    "routers": routers.ROUTER_CREATE, "floatingips": routers.FIP_CREATE, "security-groups": security_groups.SG_CREATE,
    "security-group-rules": security_groups.RULE_CREATE, "rbac-policies": rbac.CREATE,
}
UPDATE_ATTRS = {
    "networks": networks.NETWORK_UPDATE, "subnets": networks.SUBNET_UPDATE, "ports": ports.PORT_UPDATE,
    "routers": routers.ROUTER_UPDATE, "floatingips": routers.FIP_UPDATE, "security-groups": security_groups.SG_UPDATE,
}


def _check(response):
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert "NeutronError" in response.json()


@pytest.fixture
def valid(api, net_cloud, demo_token):
    """A valid create body per collection, and an existing object per collection (the demo's)."""
    private = Network.objects.get(name="private")
    public = Network.objects.get(name="public")
    subnet = private.subnets.get()
    group = api.get(f"{BASE}/security-groups", token=demo_token).json()["security_groups"][0]
    port = api.post(f"{BASE}/ports", body={"port": {"network_id": private.id}}, token=demo_token).json()["port"]
    fip = api.post(f"{BASE}/floatingips", body={"floatingip": {"floating_network_id": public.id}},
                   token=demo_token).json()["floatingip"]
    bodies = {
        "networks": {"name": "fz"},
        "subnets": {"network_id": private.id, "cidr": "10.44.0.0/24", "ip_version": 4},
        "ports": {"network_id": private.id},
        "routers": {"name": "fz"},
        "floatingips": {"floating_network_id": public.id},
        "security-groups": {"name": "fz"},
        "security-group-rules": {"security_group_id": group["id"], "direction": "ingress"},
        "rbac-policies": {"object_type": "network", "object_id": private.id, "action": "access_as_shared",
                          "target_tenant": "someone"},
    }
    objects = {"networks": private.id, "subnets": subnet.id, "ports": port["id"],
               "routers": Router.objects.get(name="router1").id, "floatingips": fip["id"],
               "security-groups": group["id"]}
    return bodies, objects


@pytest.mark.parametrize("collection", sorted(CREATE_ATTRS))
def test_odd_values_in_create_bodies(api, valid, demo_token, collection):
    bodies, _ = valid
    singular = RESOURCES[collection].singular
    for attr in sorted(CREATE_ATTRS[collection]):
        for value in ODD_VALUES:
            before = Port.objects.count()
            response = api.post(f"{BASE}/{collection}", body={singular: {**bodies[collection], attr: value}},
                                token=demo_token)
            _check(response)
            if response.status_code >= 400:
                assert Port.objects.count() == before, (attr, value)


@pytest.mark.parametrize("collection", sorted(UPDATE_ATTRS))
def test_odd_values_in_update_bodies(api, valid, demo_token, collection):
    _, objects = valid
    singular = RESOURCES[collection].singular
    for attr in sorted(UPDATE_ATTRS[collection]):
        for value in ODD_VALUES:
            response = api.put(f"{BASE}/{collection}/{objects[collection]}", body={singular: {attr: value}},
                               token=demo_token)
            _check(response)


def test_odd_router_interface_bodies(api, valid, demo_token):
    _, objects = valid
    for action in ("add_router_interface", "remove_router_interface", "add_extraroutes", "remove_extraroutes"):
        for value in ODD_VALUES:
            for key in ("subnet_id", "port_id", "router"):
                response = api.put(f"{BASE}/routers/{objects['routers']}/{action}", body={key: value},
                                   token=demo_token)
                _check(response)
