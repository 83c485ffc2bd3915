"""The networking panels: pages render in a bounded number of queries, forms go through the services."""

import pytest

from dashboard.testing import login
from network.models import FloatingIP, Network, Router, SecurityGroupRule, Subnet

PAGES = ["/dashboard/project/networks/", "/dashboard/project/routers/", "/dashboard/project/floating_ips/",
         "/dashboard/project/security_groups/", "/dashboard/project/network_topology/"]


@pytest.fixture
def demo_client(client, net_cloud):
    login(client, "demo", "demopw")
    return client


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_in_bounded_queries(demo_client, url, django_assert_max_num_queries):
    demo_client.get(url)
    with django_assert_max_num_queries(20):
        response = demo_client.get(url)
    assert response.status_code == 200


def test_network_detail_and_router_detail(demo_client):
    private = Network.objects.get(name="private")
    page = demo_client.get(f"/dashboard/project/networks/{private.id}/").content.decode()
    assert "10.0.0.0/26" in page and "network:router_interface" in page
    router = Router.objects.get(name="router1")
    page = demo_client.get(f"/dashboard/project/routers/{router.id}/").content.decode()
    assert "172.24.4." in page and "10.0.0.1" in page and "External Gateway" in page
    assert demo_client.get("/dashboard/project/networks/nope/").status_code == 404


def test_create_network_with_subnet_and_port(demo_client):
    response = demo_client.post("/dashboard/project/networks/create/", {
        "name": "dash-net", "admin_state_up": "on", "subnet_name": "dash-sub", "cidr": "10.20.0.0/24",
        "enable_dhcp": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    net = Network.objects.get(name="dash-net")
    assert Subnet.objects.get(network=net).gateway_ip == "10.20.0.1"
    # A bad CIDR writes nothing.
    response = demo_client.post("/dashboard/project/networks/create/", {"name": "bad", "cidr": "10.20.0.1/24"},
                                HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and not Network.objects.filter(name="bad").exists()
    response = demo_client.post(f"/dashboard/project/networks/{net.id}/ports/create/", {
        "name": "dash-port", "fixed_ip": "10.20.0.9", "admin_state_up": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert net.ports.get().allocations.get().ip_address == "10.20.0.9"


def test_router_interface_and_floating_ip_flow(demo_client):
    net = Network.objects.get(name="private")
    demo_client.post(f"/dashboard/project/networks/{net.id}/ports/create/", {"name": "vm"}, HTTP_HX_REQUEST="true")
    public = Network.objects.get(name="public")
    assert demo_client.post("/dashboard/project/floating_ips/allocate/", {"pool": public.id},
                            HTTP_HX_REQUEST="true").status_code == 204
    fip = FloatingIP.objects.get()
    port = net.ports.get(name="vm")
    choice = f"{port.id}|{port.allocations.get().ip_address}"
    assert demo_client.post(f"/dashboard/project/floating_ips/{fip.id}/associate/", {"port": choice},
                            HTTP_HX_REQUEST="true").status_code == 204
    fip.refresh_from_db()
    assert fip.port_id == port.id and fip.router.name == "router1"
    page = demo_client.get("/dashboard/project/floating_ips/").content.decode()
    assert fip.floating_ip_address in page
    response = demo_client.post("/dashboard/project/floating_ips/", {"action": f"row:disassociate:{fip.id}"})
    assert response.status_code == 302
    fip.refresh_from_db()
    assert fip.port_id is None


def test_security_group_rules_editor(demo_client):
    assert demo_client.post("/dashboard/project/security_groups/create/", {"name": "dash-sg"},
                            HTTP_HX_REQUEST="true").status_code == 204
    group = SecurityGroupRule.objects.filter(security_group__name="dash-sg").first().security_group
    response = demo_client.post(f"/dashboard/project/security_groups/{group.id}/rules/add/", {
        "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "port_range_min": "22",
        "remote_ip_prefix": "0.0.0.0/0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    rule = group.rules.get(protocol="tcp")
    assert (rule.port_range_min, rule.port_range_max) == (22, 22)
    # The same rule again is refused on the form.
    response = demo_client.post(f"/dashboard/project/security_groups/{group.id}/rules/add/", {
        "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "port_range_min": "22",
        "remote_ip_prefix": "0.0.0.0/0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"already exists" in response.content
    page = demo_client.get(f"/dashboard/project/security_groups/{group.id}/").content.decode()
    assert "22" in page and "0.0.0.0/0" in page


def test_topology_svg_links_networks_routers_and_instances(demo_client, demo_ctx):
    from network.services import allocate_for_instance

    allocate_for_instance(demo_ctx, "instance-abc", "auto")
    page = demo_client.get("/dashboard/project/network_topology/").content.decode()
    assert "<svg" in page and 'id="network-topology"' in page
    private, public = Network.objects.get(name="private"), Network.objects.get(name="public")
    router = Router.objects.get(name="router1")
    assert f"/dashboard/project/networks/{private.id}/" in page and f"/dashboard/project/networks/{public.id}/" in page
    assert f"/dashboard/project/routers/{router.id}/" in page
    assert 'class="nb-topology-instance" data-id="instance-abc"' in page
    assert "10.0.0.1" in page and "172.24.4." in page


def test_overview_shows_network_quota_cards(demo_client, django_assert_max_num_queries):
    demo_client.get("/dashboard/project/")
    with django_assert_max_num_queries(30):
        page = demo_client.get("/dashboard/project/").content.decode()
    assert 'data-quota="network"' in page and 'data-quota="floatingip"' in page
    assert "1 <span" in page  # the demo's private network, of 100


@pytest.mark.parametrize("url", PAGES)
def test_pages_as_admin(client, net_cloud, url):
    login(client, "admin", "adminpw")
    assert client.get(url).status_code == 200


def test_other_projects_network_page_is_404(client, net_cloud, other_project):
    login(client, "alice", "alicepw")
    private = Network.objects.get(name="private")
    assert client.get(f"/dashboard/project/networks/{private.id}/").status_code == 404
    router = Router.objects.get(name="router1")
    assert client.get(f"/dashboard/project/routers/{router.id}/").status_code == 404
    page = client.get("/dashboard/project/network_topology/").content.decode()
    assert private.id not in page and router.id not in page
