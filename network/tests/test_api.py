"""The Neutron v2.0 API: shapes, filters, fields, sorting, paging, tags, and every 4xx and conflict."""

import pytest

from network.models import Network

BASE = "/network/v2.0"


def neutron_error(response, status, error_type=None):
    assert response.status_code == status, response.content
    body = response.json()["NeutronError"]
    assert set(body) == {"type", "message", "detail"} and body["message"]
    if error_type:
        assert body["type"] == error_type, body
    return body


@pytest.fixture
def demo(api, net_cloud, demo_token):
    """api calls as the demo project's member."""

    class Demo:
        def __getattr__(self, method):
            def call(url, body=None, **kw):
                kw.setdefault("token", demo_token)
                if body is not None:
                    kw["body"] = body
                return getattr(api, method)(BASE + url, **kw)
            return call

    return Demo()


def make_net(demo, name="n1", cidr="192.168.10.0/24"):
    net = demo.post("/networks", {"network": {"name": name}}).json()["network"]
    subnet = demo.post("/subnets", {"subnet": {"name": f"{name}-sub", "network_id": net["id"], "cidr": cidr,
                                               "ip_version": 4}}).json()["subnet"]
    return net, subnet


def test_versions_and_resources(api, demo):
    assert api.get("/network").json()["versions"][0]["id"] == "v2.0"
    assert {r["collection"] for r in demo.get("").json()["resources"]} >= {"networks", "ports", "quotas"}


def test_unauthenticated_is_401(api, net_cloud):
    neutron_error(api.get(BASE + "/networks"), 401)


def test_network_and_subnet_shapes(demo):
    net, subnet = make_net(demo)
    for key in ("id", "name", "subnets", "shared", "router:external", "mtu", "status", "admin_state_up",
                "project_id", "tenant_id", "tags", "revision_number", "created_at", "updated_at",
                "availability_zones", "availability_zone_hints", "port_security_enabled", "description"):
        assert key in net
    assert net["created_at"].endswith("Z") and len(net["created_at"]) == 20
    assert "provider:network_type" not in net  # admin only
    assert subnet["gateway_ip"] == "192.168.10.1" and subnet["enable_dhcp"] is True
    assert subnet["allocation_pools"] == [{"start": "192.168.10.2", "end": "192.168.10.254"}]
    assert subnet["dns_nameservers"] == [] and subnet["host_routes"] == [] and subnet["service_types"] == []
    shown = demo.get(f"/networks/{net['id']}").json()["network"]
    assert shown["subnets"] == [subnet["id"]] and shown["revision_number"] >= 0


def test_admin_sees_provider_attributes(api, net_cloud, admin_token):
    public = api.get(BASE + "/networks?name=public", token=admin_token).json()["networks"][0]
    assert public["provider:network_type"] == "flat" and public["router:external"] is True


def test_filters_fields_sorting_paging(demo):
    for i in range(5):
        demo.post("/networks", {"network": {"name": f"page-{i}"}})
    names = [n["name"] for n in demo.get("/networks?sort_key=name&sort_dir=asc").json()["networks"]]
    assert names == sorted(names)
    page = demo.get("/networks?name=page-1&name=page-3&fields=id&fields=name").json()["networks"]
    assert sorted(n["name"] for n in page) == ["page-1", "page-3"] and all(set(n) == {"id", "name"} for n in page)
    assert demo.get("/networks?router:external=True").json()["networks"][0]["name"] == "public"
    seen, url = [], "/networks?limit=2&sort_key=name&sort_dir=asc"
    while url:
        body = demo.get(url).json()
        seen += [n["name"] for n in body["networks"]]
        nxt = [link for link in body["networks_links"] if link["rel"] == "next"]
        url = nxt[0]["href"].split("/v2.0", 1)[1] if nxt else None
    assert seen == sorted(names)
    neutron_error(demo.get("/networks?limit=abc"), 400)
    neutron_error(demo.get("/networks?marker=nope"), 400)
    neutron_error(demo.get("/networks?sort_key=bogus"), 400)
    neutron_error(demo.get("/networks?admin_state_up=maybe"), 400)


def test_tags(demo):
    net, _ = make_net(demo)
    assert demo.put(f"/networks/{net['id']}/tags", {"tags": ["red", "blue"]}).json() == {"tags": ["red", "blue"]}
    assert demo.put(f"/networks/{net['id']}/tags/green").status_code == 201
    assert demo.get(f"/networks/{net['id']}/tags/green").status_code == 204
    neutron_error(demo.get(f"/networks/{net['id']}/tags/none"), 404)
    assert [n["id"] for n in demo.get("/networks?tags=red,green").json()["networks"]] == [net["id"]]
    assert net["id"] not in [n["id"] for n in demo.get("/networks?not-tags-any=blue").json()["networks"]]
    assert demo.delete(f"/networks/{net['id']}/tags/red").status_code == 204
    assert demo.get(f"/networks/{net['id']}").json()["network"]["tags"] == ["blue", "green"]
    assert demo.delete(f"/networks/{net['id']}/tags").status_code == 204
    neutron_error(demo.put(f"/networks/{net['id']}/tags", {"tags": "nope"}), 400)


@pytest.mark.parametrize("url,body,status", [
    ("/networks", {}, 400),
    ("/networks", {"network": "x"}, 400),
    ("/networks", {"network": {"bogus": 1}}, 400),
    ("/networks", {"network": {"admin_state_up": "perhaps"}}, 400),
    ("/networks", {"network": {"name": 5}}, 400),
    ("/networks", {"network": {"mtu": 10}}, 400),
    ("/networks", {"network": {"shared": True}}, 403),
    ("/networks", {"network": {"router:external": True}}, 403),
    ("/subnets", {"subnet": {"cidr": "10.1.0.0/24", "ip_version": 4}}, 400),
    ("/subnets", {"subnet": {"network_id": "nope", "cidr": "10.1.0.0/24", "ip_version": 4}}, 404),
    ("/ports", {"port": {}}, 400),
    ("/ports", {"port": {"network_id": "nope"}}, 404),
    ("/routers", {"router": {"external_gateway_info": {"network_id": "nope"}}}, 404),
    ("/floatingips", {"floatingip": {}}, 400),
    ("/floatingips", {"floatingip": {"floating_network_id": "nope"}}, 404),
    ("/security-groups", {"security_group": {"name": "default"}}, 409),
    ("/security-group-rules", {"security_group_rule": {"direction": "ingress"}}, 400),
    ("/rbac-policies", {"rbac_policy": {"object_type": "port"}}, 400),
])
def test_bad_creates(demo, url, body, status):
    neutron_error(demo.post(url, body), status)


def test_malformed_json(api, net_cloud, demo_token):
    response = api.post(BASE + "/networks", raw="{nope", token=demo_token)
    neutron_error(response, 400)


@pytest.mark.parametrize("cidr,extra", [
    ("10.1.0.1/24", {}),
    ("not-a-cidr", {}),
    ("10.1.0.0/24", {"ip_version": 6}),
    ("10.1.0.0/24", {"gateway_ip": "10.2.0.1"}),
    ("10.1.0.0/24", {"allocation_pools": [{"start": "10.1.0.1", "end": "10.1.0.10"}]}),
    ("10.1.0.0/24", {"dns_nameservers": ["not-ip"]}),
    ("10.1.0.0/24", {"host_routes": [{"destination": "x"}]}),
    ("10.1.0.0/24", {"ipv6_address_mode": "slaac"}),
    ("10.1.0.0/24", {"subnetpool_id": "pool"}),
])
def test_bad_subnets(demo, cidr, extra):
    net = demo.post("/networks", {"network": {"name": "sn"}}).json()["network"]
    neutron_error(demo.post("/subnets", {"subnet": {"network_id": net["id"], "cidr": cidr, **extra}}), 400)
    assert Network.objects.get(id=net["id"]).subnets.count() == 0


def test_overlapping_subnet(demo):
    net, _ = make_net(demo)
    neutron_error(demo.post("/subnets", {"subnet": {"network_id": net["id"], "cidr": "192.168.10.128/25",
                                                    "ip_version": 4}}), 400)


def test_unknown_ids_and_names_are_404(demo):
    for collection, error_type in (("networks", "NetworkNotFound"), ("subnets", "SubnetNotFound"),
                                   ("ports", "PortNotFound"), ("routers", "RouterNotFound"),
                                   ("floatingips", "FloatingIPNotFound"),
                                   ("security-groups", "SecurityGroupNotFound"),
                                   ("security-group-rules", "SecurityGroupRuleNotFound"),
                                   ("rbac-policies", "RbacPolicyNotFound")):
        neutron_error(demo.get(f"/{collection}/private"), 404, error_type)
        neutron_error(demo.delete(f"/{collection}/00000000-0000-0000-0000-000000000000"), 404, error_type)
    neutron_error(demo.get("/nothing-here"), 404)
    neutron_error(demo.get("/extensions/no-such-ext"), 404)


def test_port_conflicts_and_updates(demo):
    net, subnet = make_net(demo)
    port = demo.post("/ports", {"port": {"network_id": net["id"], "name": "p"}}).json()["port"]
    assert port["fixed_ips"][0]["subnet_id"] == subnet["id"] and port["status"] == "DOWN"
    taken = port["fixed_ips"][0]["ip_address"]
    assert port["binding:vif_type"] == "unbound" and port["security_groups"]
    neutron_error(demo.post("/ports", {"port": {"network_id": net["id"], "mac_address": port["mac_address"]}}),
                  409, "MacAddressInUse")
    neutron_error(demo.post("/ports", {"port": {"network_id": net["id"], "mac_address": "zz"}}), 400)
    neutron_error(demo.post("/ports", {"port": {"network_id": net["id"], "fixed_ips": [
        {"subnet_id": subnet["id"], "ip_address": taken}]}}), 409, "IpAddressAlreadyAllocated")
    neutron_error(demo.post("/ports", {"port": {"network_id": net["id"], "security_groups": ["nope"]}}), 404)
    neutron_error(demo.put(f"/ports/{port['id']}", {"port": {"binding:host_id": "h"}}), 403)
    updated = demo.put(f"/ports/{port['id']}", {"port": {"fixed_ips": [
        {"subnet_id": subnet["id"], "ip_address": "192.168.10.99"}], "name": "q"}}).json()["port"]
    assert updated["fixed_ips"] == [{"subnet_id": subnet["id"], "ip_address": "192.168.10.99"}]
    assert updated["revision_number"] == port["revision_number"] + 1 and updated["name"] == "q"
    neutron_error(demo.put(f"/ports/{port['id']}", {"port": {"network_id": "x"}}), 400)
    neutron_error(demo.put(f"/ports/{port['id']}", {"port": {"port_security_enabled": False}}), 409)
    # Network with a port cannot go.
    neutron_error(demo.delete(f"/networks/{net['id']}"), 409, "NetworkInUse")
    neutron_error(demo.delete(f"/subnets/{subnet['id']}"), 409, "SubnetInUse")
    assert demo.delete(f"/ports/{port['id']}").status_code == 204
    assert demo.delete(f"/subnets/{subnet['id']}").status_code == 204
    assert demo.delete(f"/networks/{net['id']}").status_code == 204


def test_router_interfaces_floating_ips_and_their_conflicts(demo):
    net, subnet = make_net(demo)
    public = demo.get("/networks?name=public").json()["networks"][0]
    router = demo.post("/routers", {"router": {"name": "r", "external_gateway_info": {
        "network_id": public["id"]}}}).json()["router"]
    assert router["external_gateway_info"]["external_fixed_ips"][0]["ip_address"].startswith("172.24.4.")
    neutron_error(demo.put(f"/routers/{router['id']}", {"router": {"external_gateway_info": {
        "network_id": net["id"]}}}), 400)
    rid = router["id"]
    neutron_error(demo.put(f"/routers/{rid}/add_router_interface", {}), 400)
    neutron_error(demo.put(f"/routers/{rid}/add_router_interface", {"subnet_id": "nope"}), 404)
    info = demo.put(f"/routers/{rid}/add_router_interface", {"subnet_id": subnet["id"]}).json()
    assert info["subnet_id"] == subnet["id"] and info["port_id"]
    neutron_error(demo.put(f"/routers/{rid}/add_router_interface", {"subnet_id": subnet["id"]}), 400)
    gateway_port = demo.get(f"/ports/{info['port_id']}").json()["port"]
    assert gateway_port["fixed_ips"][0]["ip_address"] == "192.168.10.1"
    assert gateway_port["device_owner"] == "network:router_interface"
    neutron_error(demo.delete(f"/ports/{info['port_id']}"), 409, "ServicePortInUse")
    neutron_error(demo.delete(f"/subnets/{subnet['id']}"), 409, "SubnetInUse")
    neutron_error(demo.delete(f"/routers/{rid}"), 409, "RouterInUse")

    # Routes must point into an attached subnet.
    neutron_error(demo.put(f"/routers/{rid}", {"router": {"routes": [
        {"destination": "10.50.0.0/16", "nexthop": "10.99.0.5"}]}}), 400, "InvalidRoutes")
    routed = demo.put(f"/routers/{rid}", {"router": {"routes": [
        {"destination": "10.50.0.0/16", "nexthop": "192.168.10.5"}]}}).json()["router"]
    assert routed["routes"] == [{"destination": "10.50.0.0/16", "nexthop": "192.168.10.5"}]
    demo.put(f"/routers/{rid}", {"router": {"routes": []}})

    vm_port = demo.post("/ports", {"port": {"network_id": net["id"]}}).json()["port"]
    neutron_error(demo.post("/floatingips", {"floatingip": {"floating_network_id": net["id"]}}), 400)
    fip = demo.post("/floatingips", {"floatingip": {"floating_network_id": public["id"]}}).json()["floatingip"]
    assert fip["status"] == "DOWN" and fip["port_id"] is None
    fip = demo.put(f"/floatingips/{fip['id']}", {"floatingip": {"port_id": vm_port["id"]}}).json()["floatingip"]
    assert fip["router_id"] == rid and fip["fixed_ip_address"] == vm_port["fixed_ips"][0]["ip_address"]
    second = demo.post("/floatingips", {"floatingip": {"floating_network_id": public["id"]}}).json()["floatingip"]
    neutron_error(demo.put(f"/floatingips/{second['id']}", {"floatingip": {"port_id": vm_port["id"]}}), 409,
                  "FloatingIPPortAlreadyAssociated")
    neutron_error(demo.put(f"/routers/{rid}/remove_router_interface", {"subnet_id": subnet["id"]}), 409,
                  "RouterInterfaceInUseByFloatingIP")
    neutron_error(demo.put(f"/routers/{rid}", {"router": {"external_gateway_info": {}}}), 409,
                  "RouterExternalGatewayInUseByFloatingIp")
    neutron_error(demo.delete(f"/networks/{public['id']}"), 403)  # visible to demo, not its to delete

    # A port behind no router cannot get a floating IP.
    lonely_net, lonely_sub = make_net(demo, "lonely", "192.168.20.0/24")
    lonely = demo.post("/ports", {"port": {"network_id": lonely_net["id"]}}).json()["port"]
    neutron_error(demo.put(f"/floatingips/{second['id']}", {"floatingip": {"port_id": lonely["id"]}}), 404,
                  "ExternalGatewayForFloatingIPNotFound")

    # Deleting the port disassociates the floating IP.
    assert demo.delete(f"/ports/{vm_port['id']}").status_code == 204
    assert demo.get(f"/floatingips/{fip['id']}").json()["floatingip"]["port_id"] is None
    for fid in (fip["id"], second["id"]):
        assert demo.delete(f"/floatingips/{fid}").status_code == 204
    neutron_error(demo.put(f"/routers/{rid}/remove_router_interface", {"port_id": "nope"}), 404)
    assert demo.put(f"/routers/{rid}/remove_router_interface", {"subnet_id": subnet["id"]}).status_code == 200
    neutron_error(demo.put(f"/routers/{rid}/remove_router_interface", {"subnet_id": subnet["id"]}), 404)
    assert demo.put(f"/routers/{rid}", {"router": {"external_gateway_info": {}}}).json()["router"][
        "external_gateway_info"] is None
    assert demo.delete(f"/routers/{rid}").status_code == 204
    assert demo.delete(f"/subnets/{subnet['id']}").status_code == 204


def test_router_interface_by_port(demo):
    net, subnet = make_net(demo)
    router = demo.post("/routers", {"router": {"name": "r2"}}).json()["router"]
    port = demo.post("/ports", {"port": {"network_id": net["id"]}}).json()["port"]
    info = demo.put(f"/routers/{router['id']}/add_router_interface", {"port_id": port["id"]}).json()
    assert info["port_id"] == port["id"]
    neutron_error(demo.put(f"/routers/{router['id']}/add_router_interface", {"port_id": port["id"]}), 409,
                  "PortInUse")
    demo.put(f"/routers/{router['id']}/remove_router_interface", {"port_id": port["id"]})
    neutron_error(demo.get(f"/ports/{port['id']}"), 404)


def test_security_groups_and_rules(demo):
    groups = demo.get("/security-groups").json()["security_groups"]
    default = next(g for g in groups if g["name"] == "default")
    assert sorted((r["direction"], r["ethertype"], bool(r["remote_group_id"]))
                  for r in default["security_group_rules"]) == [
        ("egress", "IPv4", False), ("egress", "IPv6", False), ("ingress", "IPv4", True), ("ingress", "IPv6", True)]
    group = demo.post("/security-groups", {"security_group": {"name": "web"}}).json()["security_group"]
    assert len(group["security_group_rules"]) == 2
    rule = {"security_group_id": group["id"], "direction": "ingress", "protocol": "tcp", "port_range_min": 22,
            "port_range_max": 22, "remote_ip_prefix": "0.0.0.0/0"}
    created = demo.post("/security-group-rules", {"security_group_rule": rule}).json()["security_group_rule"]
    assert created["port_range_min"] == 22 and created["ethertype"] == "IPv4"
    neutron_error(demo.post("/security-group-rules", {"security_group_rule": rule}), 409, "SecurityGroupRuleExists")
    for bad in ({"port_range_min": 30, "port_range_max": 20}, {"port_range_min": 70000, "port_range_max": 70000},
                {"protocol": "bogus"}, {"remote_ip_prefix": "::/0"}, {"direction": "sideways"},
                {"remote_group_id": group["id"]}, {"protocol": "icmp", "port_range_min": 300},
                {"protocol": None, "port_range_min": 1, "port_range_max": 2}):
        neutron_error(demo.post("/security-group-rules", {"security_group_rule": {**rule, **bad}}), 400)
    icmp = demo.post("/security-group-rules", {"security_group_rule": {
        "security_group_id": group["id"], "direction": "ingress", "protocol": "icmp"}}).json()["security_group_rule"]
    assert icmp["port_range_min"] is None
    neutron_error(demo.put(f"/security-group-rules/{icmp['id']}", {"security_group_rule": {}}), 405)
    listed = demo.get(f"/security-group-rules?security_group_id={group['id']}&protocol=tcp").json()
    assert [r["id"] for r in listed["security_group_rules"]] == [created["id"]]
    neutron_error(demo.delete(f"/security-groups/{default['id']}"), 409, "SecurityGroupCannotRemoveDefault")
    neutron_error(demo.put(f"/security-groups/{default['id']}", {"security_group": {"name": "x"}}), 409)
    net, _ = make_net(demo)
    port = demo.post("/ports", {"port": {"network_id": net["id"], "security_groups": [group["id"]]}}).json()["port"]
    assert port["security_groups"] == [group["id"]]
    neutron_error(demo.delete(f"/security-groups/{group['id']}"), 409, "SecurityGroupInUse")
    demo.delete(f"/ports/{port['id']}")
    assert demo.delete(f"/security-group-rules/{icmp['id']}").status_code == 204
    assert demo.delete(f"/security-groups/{group['id']}").status_code == 204


def test_quotas_api(api, net_cloud, demo, admin_token, demo_token):
    from identity.models import Project

    demo_id = Project.objects.get(name="demo").id
    quota = demo.get(f"/quotas/{demo_id}").json()["quota"]
    assert quota["network"] == 100 and quota["security_group_rule"] == 100
    neutron_error(demo.put(f"/quotas/{demo_id}", {"quota": {"network": 5}}), 403)
    admin_put = api.put(f"{BASE}/quotas/{demo_id}", body={"quota": {"network": 2}}, token=admin_token)
    assert admin_put.json()["quota"]["network"] == 2
    neutron_error(api.put(f"{BASE}/quotas/{demo_id}", body={"quota": {"network": "many"}}, token=admin_token), 400)
    neutron_error(api.put(f"{BASE}/quotas/{demo_id}", body={"quota": {"bogus": 1}}, token=admin_token), 400)
    demo.post("/networks", {"network": {"name": "q1"}})  # private + q1 = 2
    neutron_error(demo.post("/networks", {"network": {"name": "q2"}}), 409, "OverQuota")
    details = demo.get(f"/quotas/{demo_id}/details").json()["quota"]
    assert details["network"] == {"limit": 2, "used": 2, "reserved": 0}
    assert demo_id in [q["project_id"] for q in api.get(f"{BASE}/quotas", token=admin_token).json()["quotas"]]
    neutron_error(demo.get("/quotas"), 403)
    assert api.delete(f"{BASE}/quotas/{demo_id}", token=admin_token).status_code == 204
    assert demo.get(f"/quotas/{demo_id}").json()["quota"]["network"] == 100
    assert demo.get(f"/quotas/{demo_id}/default").json()["quota"]["network"] == 100


def test_extensions(demo):
    aliases = {e["alias"] for e in demo.get("/extensions").json()["extensions"]}
    assert {"security-group", "router", "external-net", "quotas", "standard-attr-tag", "rbac-policies",
            "binding", "extraroute"} <= aliases
    assert demo.get("/extensions/router").json()["extension"]["alias"] == "router"


def test_bulk_create_is_all_or_nothing(demo):
    made = demo.post("/networks", {"networks": [{"name": "b1"}, {"name": "b2"}]})
    assert made.status_code == 201 and [n["name"] for n in made.json()["networks"]] == ["b1", "b2"]
    before = Network.objects.count()
    neutron_error(demo.post("/networks", {"networks": [{"name": "b3"}, {"bogus": 1}]}), 400)
    assert Network.objects.count() == before


def test_a_port_merely_labelled_as_a_router_port_can_be_deleted(demo):
    net, _ = make_net(demo)
    port = demo.post("/ports", {"port": {"network_id": net["id"], "device_owner": "network:router_interface"}})
    assert port.status_code == 201
    assert demo.delete(f"/ports/{port.json()['port']['id']}").status_code == 204


def test_reader_may_look_but_not_change(demo):
    from core.context import RequestContext
    from core.exceptions import Forbidden
    from identity.models import Project
    from network.services import networks, security_groups

    reader = RequestContext(project_id=Project.objects.get(name="demo").id, roles=("reader",))
    assert [n.name for n in networks.list_networks(reader).filter(name="private")] == ["private"]
    for call in (lambda: networks.create_network(reader, {"name": "nope"}),
                 lambda: security_groups.create_security_group(reader, {"name": "nope"}),
                 lambda: networks.delete_network(reader, Network.objects.get(name="private").id)):
        with pytest.raises(Forbidden):
            call()


@pytest.mark.parametrize("query", ["mtu=abc", "revision_number=x", "created_at=yesterday", "ip_version=six",
                                   "port_range_min=x", "segmentation_id=z", "limit=-1", "sort_dir=sideways",
                                   "fixed_ips=bogus=1", "page_reverse=maybe", "fields=", "tags=",
                                   "sort_key=name&sort_key=id&sort_dir=asc"])
def test_odd_query_strings_never_500(demo, query):
    for collection in ("networks", "subnets", "ports", "security-group-rules", "routers", "floatingips"):
        response = demo.get(f"/{collection}?{query}")
        assert response.status_code in (200, 400), (collection, query, response.content)
        if response.status_code == 400:
            neutron_error(response, 400)


def test_nul_characters_are_refused(demo):
    neutron_error(demo.get("/networks/%00"), 400)
    neutron_error(demo.get("/networks?name=%00"), 400)
    neutron_error(demo.post("/networks", {"network": {"name": "a\u0000b"}}), 400)
