"""The real `openstack` CLI against a live Nebula: the networking issue's "Done when", end to end."""

import json

import pytest

pytestmark = [pytest.mark.e2e]


def _fails_with(result, error_type):
    """The CLI failed and the server's NeutronError type is the one Neutron gives."""
    assert result.returncode != 0, result.stdout
    return error_type in (result.stderr + result.stdout)


def test_bootstrap_networks(live_cloud):
    public = live_cloud.openstack("network", "show", "public")
    assert public["router:external"] == "External" or public["router:external"] is True
    demo_networks = {n["Name"] for n in live_cloud.openstack("network", "list", cloud="nebula-demo")}
    assert {"public", "private"} <= demo_networks
    router = live_cloud.openstack("router", "show", "router1", cloud="nebula-demo")
    gateway = router["external_gateway_info"]
    gateway = json.loads(gateway) if isinstance(gateway, str) else gateway
    assert gateway["network_id"] == public["id"]


def test_network_workflow(live_cloud):
    cli = live_cloud.openstack
    demo = {"cloud": "nebula-demo"}
    cli("network", "create", "e2e-net", **demo)
    subnet = cli("subnet", "create", "--network", "e2e-net", "--subnet-range", "192.168.77.0/24", "e2e-subnet",
                 **demo)
    assert subnet["gateway_ip"] == "192.168.77.1"
    assert subnet["enable_dhcp"] is True
    assert subnet["allocation_pools"] in ("192.168.77.2-192.168.77.254",
                                          [{"start": "192.168.77.2", "end": "192.168.77.254"}])

    port_fixed = cli("port", "create", "--network", "e2e-net", "--fixed-ip",
                     "subnet=e2e-subnet,ip-address=192.168.77.50", "e2e-port-fixed", **demo)
    port_auto = cli("port", "create", "--network", "e2e-net", "e2e-port-auto", **demo)
    assert port_auto["mac_address"].startswith("fa:16:3e:")
    fixed = port_fixed["fixed_ips"]
    assert "192.168.77.50" in json.dumps(fixed)
    taken = cli("port", "create", "--network", "e2e-net", "--fixed-ip", "subnet=e2e-subnet,ip-address=192.168.77.50",
                "e2e-port-dup", check=False, **demo)
    assert _fails_with(taken, "IpAddressAlreadyAllocated") or "already allocated" in taken.stderr

    cli("router", "create", "e2e-router", **demo)
    cli("router", "set", "--external-gateway", "public", "e2e-router", as_json=False, **demo)
    cli("router", "add", "subnet", "e2e-router", "e2e-subnet", as_json=False, **demo)
    router = cli("router", "show", "e2e-router", **demo)
    assert "172.24.4." in json.dumps(router["external_gateway_info"])

    fip = cli("floating", "ip", "create", "public", **demo)
    assert fip["floating_ip_address"].startswith("172.24.4.")
    cli("floating", "ip", "set", "--port", "e2e-port-auto", fip["floating_ip_address"], as_json=False, **demo)
    shown = cli("floating", "ip", "show", fip["id"], **demo)
    assert shown["port_id"] == port_auto["id"]
    assert shown["fixed_ip_address"] == port_auto["fixed_ips"][0]["ip_address"] if isinstance(
        port_auto["fixed_ips"], list) else shown["fixed_ip_address"]

    group = cli("security", "group", "create", "e2e-sg", **demo)
    ssh = cli("security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22", "e2e-sg", **demo)
    assert ssh["port_range_min"] == 22 and ssh["port_range_max"] == 22 and ssh["protocol"] == "tcp"
    icmp = cli("security", "group", "rule", "create", "--protocol", "icmp", "e2e-sg", **demo)
    assert icmp["protocol"] == "icmp"
    dup = cli("security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22", "e2e-sg", check=False,
              **demo)
    assert _fails_with(dup, "already exists")
    rules = cli("security", "group", "rule", "list", "e2e-sg", **demo)
    assert {r["ID"] for r in rules} >= {ssh["id"], icmp["id"]}

    # List everything by name.
    assert [n["Name"] for n in cli("network", "list", "--name", "e2e-net", **demo)] == ["e2e-net"]
    assert [s["Name"] for s in cli("subnet", "list", "--name", "e2e-subnet", **demo)] == ["e2e-subnet"]
    assert {p["Name"] for p in cli("port", "list", "--network", "e2e-net", **demo)} >= {"e2e-port-auto",
                                                                                      "e2e-port-fixed"}
    assert [r["Name"] for r in cli("router", "list", "--name", "e2e-router", **demo)] == ["e2e-router"]
    assert [g["Name"] for g in cli("security", "group", "list", **demo) if g["Name"] == "e2e-sg"] == ["e2e-sg"]
    assert fip["id"] in {f["ID"] for f in cli("floating", "ip", "list", **demo)}

    # The orders Neutron refuses.
    refused = cli("network", "delete", "e2e-net", check=False, as_json=False, **demo)
    assert _fails_with(refused, "in use") or _fails_with(refused, "NetworkInUse")
    refused = cli("subnet", "delete", "e2e-subnet", check=False, as_json=False, **demo)
    assert _fails_with(refused, "SubnetInUse") or "One or more ports have an IP allocation" in refused.stderr
    refused = cli("router", "delete", "e2e-router", check=False, as_json=False, **demo)
    assert refused.returncode != 0
    refused = cli("router", "remove", "subnet", "e2e-router", "e2e-subnet", check=False, as_json=False, **demo)
    assert _fails_with(refused, "required by one or more floating IPs")
    refused = cli("security", "group", "delete", "default", check=False, as_json=False, **demo)
    assert refused.returncode != 0

    # And the order it allows.
    cli("floating", "ip", "unset", "--port", fip["id"], as_json=False, **demo)
    cli("floating", "ip", "delete", fip["id"], as_json=False, **demo)
    cli("router", "remove", "subnet", "e2e-router", "e2e-subnet", as_json=False, **demo)
    cli("router", "unset", "--external-gateway", "e2e-router", as_json=False, **demo)
    cli("router", "delete", "e2e-router", as_json=False, **demo)
    cli("port", "delete", "e2e-port-auto", "e2e-port-fixed", as_json=False, **demo)
    cli("subnet", "delete", "e2e-subnet", as_json=False, **demo)
    cli("network", "delete", "e2e-net", as_json=False, **demo)
    cli("security", "group", "delete", group["id"], as_json=False, **demo)
    assert "e2e-net" not in {n["Name"] for n in cli("network", "list", **demo)}


def test_isolation_and_rbac_sharing(live_cloud):
    cli = live_cloud.openstack
    net = cli("network", "create", "admin-only-net")
    cli("subnet", "create", "--network", "admin-only-net", "--subnet-range", "10.99.0.0/24", "admin-only-subnet")
    demo_project = cli("project", "show", "demo")["id"]
    assert "admin-only-net" not in {n["Name"] for n in cli("network", "list", cloud="nebula-demo")}
    policy = cli("network", "rbac", "create", "--type", "network", "--action", "access_as_shared",
                 "--target-project", demo_project, "admin-only-net")
    assert "admin-only-net" in {n["Name"] for n in cli("network", "list", cloud="nebula-demo")}
    port = cli("port", "create", "--network", net["id"], "shared-port", cloud="nebula-demo")
    refused = cli("network", "rbac", "delete", policy["id"], check=False, as_json=False)
    assert _fails_with(refused, "RbacPolicyInUse") or "cannot be removed" in refused.stderr
    cli("port", "delete", port["id"], as_json=False, cloud="nebula-demo")
    cli("network", "rbac", "delete", policy["id"], as_json=False)
    assert "admin-only-net" not in {n["Name"] for n in cli("network", "list", cloud="nebula-demo")}
    cli("network", "delete", "admin-only-net", as_json=False)


def test_quota_and_extensions(live_cloud):
    cli = live_cloud.openstack
    aliases = {e["Alias"] for e in cli("extension", "list", "--network")}
    assert {"security-group", "router", "external-net", "quotas", "standard-attr-tag", "rbac-policies"} <= aliases
    quota = cli("quota", "show", "--network", "demo")
    rows = {row["Resource"]: row["Limit"] for row in quota} if isinstance(quota, list) else quota
    assert rows.get("networks", rows.get("network")) == 100
    cli("quota", "set", "--networks", "7", "demo", as_json=False)
    usage = cli("quota", "show", "--network", "--usage", "demo")
    rows = {row["Resource"]: row for row in usage} if isinstance(usage, list) else usage
    assert "networks" in rows or "network" in rows
    limited = rows.get("networks") or rows.get("network")
    assert limited["Limit"] == 7 and limited["In Use"] >= 1


def test_sdk_paging_fields_and_ports(live_cloud, monkeypatch):
    # openstack.connect() does not take config_files (it becomes a cloud option), so point the SDK at
    # the live cloud's clouds.yaml the way the CLI is pointed at it.
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(live_cloud.clouds_yaml))
    conn = live_cloud.sdk(cloud="nebula-demo")
    private = conn.network.find_network("private", ignore_missing=False)
    subnet = next(conn.network.subnets(network_id=private.id))
    made = [conn.network.create_network(name=f"sdk-page-{i}") for i in range(3)]
    try:
        # limit=1 makes the SDK follow networks_links page by page.
        names = [n.name for n in conn.network.networks(limit=1)]
        assert {"sdk-page-0", "sdk-page-1", "sdk-page-2", "private", "public"} <= set(names)
        assert len(names) == len(set(n.id for n in conn.network.networks()))
        port = conn.network.create_port(network_id=private.id, fixed_ips=[{"subnet_id": subnet.id}])
        assert port.mac_address.startswith("fa:16:3e:") and port.fixed_ips[0]["subnet_id"] == subnet.id
        assert port.security_group_ids and port.binding_vif_type == "unbound"
        found = list(conn.network.ports(fixed_ips=f"ip_address={port.fixed_ips[0]['ip_address']}"))
        assert [p.id for p in found] == [port.id]
        conn.network.set_tags(port, ["blue"])
        assert conn.network.get_port(port.id).tags == ["blue"]
        conn.network.delete_port(port)
        assert conn.network.get_quota(conn.current_project_id).networks >= 3
        assert conn.network.find_extension("router") is not None
        assert conn.network.find_extension("no-such-extension") is None
    finally:
        for net in made:
            conn.network.delete_network(net)
