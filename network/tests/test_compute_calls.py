"""The calls the compute service makes: allocate, bind, describe and release an instance's ports."""

import pytest

from core.exceptions import BadRequest, Conflict, NotFound
from network.models import Network, Port
from network.services import (allocate_for_instance, bind_port, deallocate_for_instance, networks,
                              port_info_for_instances, ports, ports_for_instance)

from .conftest import project_ctx


def test_auto_uses_the_projects_single_network(demo_ctx):
    vifs = allocate_for_instance(demo_ctx, "inst-1", "auto", host="host-a")
    private = Network.objects.get(name="private")
    assert len(vifs) == 1
    vif = vifs[0]
    assert vif["network_id"] == private.id and vif["network_name"] == "private"
    assert vif["mac_address"].startswith("fa:16:3e:")
    assert vif["fixed_ips"][0]["version"] == 4 and vif["fixed_ips"][0]["ip_address"].startswith("10.0.0.")
    assert vif["mtu"] == 1500 and vif["bridge"] == f"brq{private.id[:11]}" and vif["vif_type"] == "bridge"
    assert vif["device_owner"] == "compute:nova"
    assert len(vif["security_group_ids"]) == 1
    port = Port.objects.get(id=vif["port_id"])
    assert port.binding_host_id == "host-a" and port.status == "ACTIVE" and port.device_id == "inst-1"


def test_auto_is_ambiguous_with_two_networks_and_none_allocates_nothing(demo_ctx):
    networks.create_network(demo_ctx, {"name": "second"})
    with pytest.raises(Conflict):
        allocate_for_instance(demo_ctx, "inst-2", "auto")
    assert allocate_for_instance(demo_ctx, "inst-2", "none") == []


def test_auto_without_any_network_is_refused(net_cloud, other_project):
    with pytest.raises(BadRequest):
        allocate_for_instance(project_ctx("other"), "inst-3", "auto")


def test_explicit_networks_fixed_ip_and_user_port(demo_ctx):
    private = Network.objects.get(name="private")
    # The user's port takes a fixed address of its own, so the random pick cannot take 10.0.0.40.
    mine = ports.create_port(demo_ctx, {"network_id": private.id, "name": "brought",
                                        "fixed_ips": [{"ip_address": "10.0.0.50"}]})
    vifs = allocate_for_instance(demo_ctx, "inst-4", [{"uuid": private.id, "fixed_ip": "10.0.0.40"},
                                                      {"port": mine.id}], security_groups=["default"])
    assert [v["fixed_ips"][0]["ip_address"] for v in vifs][0] == "10.0.0.40"
    assert vifs[1]["port_id"] == mine.id
    listed = ports_for_instance(demo_ctx, "inst-4")
    assert {v["port_id"] for v in listed} == {v["port_id"] for v in vifs}
    bound = bind_port(demo_ctx, mine.id, "host-b")
    assert bound["port_id"] == mine.id and Port.objects.get(id=mine.id).binding_host_id == "host-b"

    deallocate_for_instance(demo_ctx, "inst-4")
    assert not Port.objects.filter(device_id="inst-4").exists()
    kept = Port.objects.get(id=mine.id)  # the user's port survives, unbound
    assert kept.device_id == "" and kept.binding_host_id == "" and kept.status == "DOWN"
    # 10.0.0.40 is free again
    again = allocate_for_instance(demo_ctx, "inst-5", [{"uuid": private.id, "fixed_ip": "10.0.0.40"}])
    assert again[0]["fixed_ips"][0]["ip_address"] == "10.0.0.40"


def test_all_or_nothing(demo_ctx):
    private = Network.objects.get(name="private")
    before = Port.objects.count()
    with pytest.raises(NotFound):
        allocate_for_instance(demo_ctx, "inst-6", [{"uuid": private.id}, {"uuid": "no-such-network"}])
    assert Port.objects.count() == before


def test_port_in_use_is_refused(demo_ctx):
    private = Network.objects.get(name="private")
    port = ports.create_port(demo_ctx, {"network_id": private.id, "device_id": "someone"})
    with pytest.raises(Conflict):
        allocate_for_instance(demo_ctx, "inst-7", [{"port": port.id}])


def test_other_projects_network_is_not_usable(demo_ctx, other_project):
    private = Network.objects.get(name="private")
    with pytest.raises(NotFound):
        allocate_for_instance(project_ctx("other"), "inst-8", [{"uuid": private.id}])


def test_port_info_for_instances_in_constant_queries(demo_ctx, django_assert_max_num_queries):
    ids = [f"bulk-{i}" for i in range(8)]
    for instance_id in ids:
        allocate_for_instance(demo_ctx, instance_id, "auto")
    with django_assert_max_num_queries(3):
        info = port_info_for_instances(ids + ["no-ports"])
    assert info["no-ports"] == []
    assert all(len(info[i]) == 1 and info[i][0]["fixed_ips"] for i in ids)
    addresses = [info[i][0]["fixed_ips"][0]["ip_address"] for i in ids]
    assert len(set(addresses)) == len(ids)
