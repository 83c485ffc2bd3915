"""The compute panels through the Django test client: pages render, forms call the services, query counts."""

import pytest

from compute.models import Flavor, Instance, KeyPair
from dashboard.testing import login

pytestmark = pytest.mark.django_db
INSTANCES = "/dashboard/project/instances/"


def test_launch_through_the_form_and_see_it_in_the_table(client, compute_cloud):
    login(client, "demo", "demopw")
    form = client.get(f"{INSTANCES}launch/")
    assert form.status_code == 200 and b"Quota left: 10 instances" in form.content
    with compute_cloud["run"]():
        response = client.post(f"{INSTANCES}launch/", {
            "name": "web", "count": 2, "image": compute_cloud["image"], "flavor": "1",
            "networks": [compute_cloud["network"]], "key_name": "", "security_groups": "default",
            "user_data": "#!/bin/sh\necho hi"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    rows = Instance.objects.filter(name__startswith="web")
    assert rows.count() == 2 and all(r.vm_state == "active" for r in rows)
    page = client.get(INSTANCES)
    assert page.status_code == 200 and b"web-1" in page.content and b"Active" in page.content
    detail = client.get(f"{INSTANCES}{rows[0].id}/")
    assert detail.status_code == 200 and b"10.0.0." in detail.content
    console = client.get(f"{INSTANCES}{rows[0].id}/console/")
    assert b"user data of" in console.content


def test_launch_refuses_what_exceeds_the_quota(client, compute_cloud):
    from core import quotas

    quotas.set_limits(compute_cloud["demo"].project_id, {"cores": 1})
    login(client, "demo", "demopw")
    response = client.post(f"{INSTANCES}launch/", {
        "name": "big", "count": 2, "image": compute_cloud["image"], "flavor": "1", "security_groups": "default"},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"Quota exceeded for vCPUs" in response.content
    assert not Instance.objects.exists()


def test_row_actions_call_the_services(client, compute_cloud):
    login(client, "demo", "demopw")
    with compute_cloud["run"]():
        client.post(f"{INSTANCES}launch/", {"name": "a", "count": 1, "image": compute_cloud["image"], "flavor": "1",
                                            "security_groups": "default"}, HTTP_HX_REQUEST="true")
    server = Instance.objects.get(name="a")
    with compute_cloud["run"]():
        client.post(INSTANCES, {"action": f"row:stop:{server.id}"})
    server.refresh_from_db()
    assert server.vm_state == "stopped"
    page = client.get(INSTANCES)
    assert f"row:start:{server.id}".encode() in page.content
    assert f"row:stop:{server.id}".encode() not in page.content
    with compute_cloud["run"]():
        client.post(INSTANCES, {"action": "batch:delete", "object_ids": [server.id]})
    server.refresh_from_db()
    assert server.deleted


def test_key_pairs_panel(client, compute_cloud):
    login(client, "demo", "demopw")
    created = client.post("/dashboard/project/key_pairs/create/", {"name": "k1"}, HTTP_HX_REQUEST="true")
    assert b"BEGIN RSA PRIVATE KEY" in created.content
    assert KeyPair.objects.filter(name="k1").exists()
    assert b"k1" in client.get("/dashboard/project/key_pairs/").content


def test_admin_pages(client, compute_cloud):
    login(client, "admin", "adminpw")
    hypervisors = client.get("/dashboard/admin/hypervisors/")
    assert hypervisors.status_code == 200 and b"fake-a" in hypervisors.content
    assert b"nova-compute" in hypervisors.content
    flavors = client.get("/dashboard/admin/flavors/")
    assert b"m1.nano" in flavors.content
    client.post("/dashboard/admin/flavors/create/", {"name": "custom", "vcpus": 2, "ram": 256, "disk": 1,
                                                     "ephemeral": 0, "swap": 0, "is_public": "on"},
                HTTP_HX_REQUEST="true")
    assert Flavor.objects.filter(name="custom").exists()
    client.post("/dashboard/admin/aggregates/create/", {"name": "agg1", "availability_zone": "zone1"},
                HTTP_HX_REQUEST="true")
    assert b"zone1" in client.get("/dashboard/admin/aggregates/").content
    assert client.get("/dashboard/admin/instances/").status_code == 200
    login(client, "demo", "demopw")
    assert client.get("/dashboard/admin/hypervisors/").status_code == 403


def test_overview_shows_compute_quota_cards(client, compute_cloud):
    login(client, "demo", "demopw")
    page = client.get("/dashboard/project/")
    assert b'data-quota="instances"' in page.content and b'data-quota="cores"' in page.content


def test_instances_page_with_1000_instances_stays_under_20_queries(client, compute_cloud,
                                                                   django_assert_max_num_queries):
    demo = compute_cloud["demo"]
    flavor = Flavor.objects.get(flavorid="1")
    Instance.objects.bulk_create([
        Instance(name=f"vm-{i:04d}", project_id=demo.project_id, user_id=demo.user_id, flavor=flavor,
                 flavor_info=flavor.as_dict(), image_ref=compute_cloud["image"], image_info={"name": "cirros"},
                 vm_state="active", power_state=1, host="fake-a",
                 network_info=[{"network_name": "private", "fixed_ips": [{"ip_address": f"10.0.{i // 250}.{i % 250}"}]}])
        for i in range(1000)])
    login(client, "demo", "demopw")
    with django_assert_max_num_queries(20):
        page = client.get(INSTANCES)
    assert page.status_code == 200 and b"vm-0999" in page.content
    login(client, "admin", "adminpw")
    with django_assert_max_num_queries(20):
        assert client.get("/dashboard/admin/instances/").status_code == 200


def test_network_topology_names_the_instances(client, compute_cloud):
    from compute.services import servers

    with compute_cloud["run"]():
        servers.create_server(compute_cloud["demo"], "db-server", "1", image_ref=compute_cloud["image"],
                              networks=[{"uuid": compute_cloud["network"]}])
    login(client, "demo", "demopw")
    page = client.get("/dashboard/project/network_topology/").content.decode()
    assert "db-server" in page


def test_server_names_are_scoped_to_the_project(compute_cloud):
    from compute.services import servers

    with compute_cloud["run"]():
        servers.create_server(compute_cloud["demo"], "mine", "1", image_ref=compute_cloud["image"],
                              networks=[{"uuid": compute_cloud["network"]}])
    server_id = Instance.objects.get(name="mine").id
    assert servers.server_names(compute_cloud["demo"], [server_id]) == {server_id: "mine"}
    from compute.tests.conftest import project_ctx

    assert servers.server_names(project_ctx("service", "demo"), [server_id]) == {}
    assert servers.server_names(compute_cloud["admin"], [server_id]) == {server_id: "mine"}
