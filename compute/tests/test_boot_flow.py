"""The boot flow end to end in one process: service -> conductor -> scheduler -> claim -> ports -> fake host."""

import pytest

from compute import services
from compute.models import ComputeNode, Instance, InstanceAction
from compute.services import states
from core.exceptions import BadRequest, Conflict, NotFound, OverLimit

pytestmark = pytest.mark.django_db


def boot(cloud, name="vm", **kwargs):
    kwargs.setdefault("networks", [{"uuid": cloud["network"]}])
    with cloud["run"]():
        instances, _ = services.create_server(cloud["demo"], name=name, flavor_ref="1", image_ref=cloud["image"],
                                              **kwargs)
    return [Instance.objects.get(id=i.id) for i in instances]


def test_boot_reaches_active_with_a_port_on_private(compute_cloud):
    [vm] = boot(compute_cloud)
    assert (vm.vm_state, vm.task_state, vm.power_state) == (states.ACTIVE, None, 1)
    assert states.status_from_state(vm.vm_state, vm.task_state) == "ACTIVE"
    assert vm.host in compute_cloud["hosts"]
    [vif] = vm.network_info
    assert vif["network_name"] == "private" and vif["fixed_ips"][0]["ip_address"].startswith("10.0.0.")
    node = ComputeNode.objects.get(host=vm.host)
    assert (node.vcpus_used, node.memory_mb_used, node.running_vms) == (1, 128, 1)
    action = InstanceAction.objects.get(instance=vm, action="create")
    events = {e.event: e.result for e in action.events.all()}
    assert events == {"conductor_schedule_and_build_instances": "Success",
                      "compute_build_and_run_instance": "Success"}
    assert "login:" in vm.console_log


def test_delete_gives_back_ports_and_room(compute_cloud):
    from network.models import Port

    [vm] = boot(compute_cloud)
    with compute_cloud["run"]():
        services.delete_server(compute_cloud["demo"], vm.id)
    vm.refresh_from_db()
    assert vm.deleted and vm.vm_state == states.DELETED
    assert not Port.objects.filter(device_id=vm.id).exists()
    assert ComputeNode.objects.get(host=vm.host).vcpus_used == 0
    with pytest.raises(NotFound):
        services.get_server(compute_cloud["demo"], vm.id)


def test_state_machine_of_the_host_actions(compute_cloud):
    [vm] = boot(compute_cloud)
    ctx = compute_cloud["demo"]
    steps = [("stop", "SHUTOFF", 4), ("start", "ACTIVE", 1), ("pause", "PAUSED", 3), ("unpause", "ACTIVE", 1),
             ("suspend", "SUSPENDED", 7), ("resume", "ACTIVE", 1), ("reboot_hard", "ACTIVE", 1)]
    for operation, status, power in steps:
        with compute_cloud["run"]():
            services.host_action(ctx, vm.id, operation)
        vm.refresh_from_db()
        assert (states.status_from_state(vm.vm_state, vm.task_state), vm.power_state) == (status, power), operation
    with pytest.raises(Conflict, match="vm_state active"):
        services.host_action(ctx, vm.id, "start")
    with pytest.raises(Conflict, match="vm_state active"):
        services.host_action(ctx, vm.id, "resume")
    actions = list(InstanceAction.objects.filter(instance=vm).values_list("action", flat=True).order_by("id"))
    assert actions == ["create", "stop", "start", "pause", "unpause", "suspend", "resume", "reboot"]


def test_transitional_status_while_the_task_runs(compute_cloud):
    [vm] = boot(compute_cloud)
    services.host_action(compute_cloud["demo"], vm.id, "reboot_soft")  # not run: no on-commit capture here
    vm.refresh_from_db()
    assert states.status_from_state(vm.vm_state, vm.task_state) == "REBOOT"
    with pytest.raises(Conflict, match="task_state rebooting"):
        services.host_action(compute_cloud["demo"], vm.id, "stop")


def test_locked_server_refuses_actions_for_its_owner(compute_cloud):
    [vm] = boot(compute_cloud)
    ctx = compute_cloud["demo"]
    services.set_lock(ctx, vm.id, True)
    for call in (lambda: services.host_action(ctx, vm.id, "stop"), lambda: services.delete_server(ctx, vm.id),
                 lambda: services.resize(ctx, vm.id, "2")):
        with pytest.raises(Conflict, match="is locked"):
            call()
    services.set_lock(ctx, vm.id, False)
    with compute_cloud["run"]():
        services.host_action(ctx, vm.id, "stop")


def test_bad_refs_are_400_and_write_nothing(compute_cloud):
    ctx = compute_cloud["demo"]
    cases = [dict(flavor_ref="nope", image_ref=compute_cloud["image"]),
             dict(flavor_ref="1", image_ref="00000000-0000-0000-0000-000000000000"),
             dict(flavor_ref="1", image_ref=compute_cloud["image"], networks=[{"uuid": "not-a-uuid"}]),
             dict(flavor_ref="1", image_ref=compute_cloud["image"], key_name="missing"),
             dict(flavor_ref="1", image_ref=compute_cloud["image"], user_data="!!not base64!!")]
    for case in cases:
        with pytest.raises(BadRequest):
            services.create_server(ctx, name="bad", **case)
    assert not Instance.objects.exists()


def test_quota_exceeded_is_refused(compute_cloud):
    from core import quotas

    quotas.set_limits(compute_cloud["demo"].project_id, {"instances": 1})
    boot(compute_cloud)
    with pytest.raises(OverLimit, match="Quota exceeded for instances: Requested 1, but already used 1 of 1"):
        services.create_server(compute_cloud["demo"], name="two", flavor_ref="1", image_ref=compute_cloud["image"])
    assert Instance.objects.count() == 1


def test_min_max_count_boots_what_fits(compute_cloud):
    from core import quotas

    quotas.set_limits(compute_cloud["demo"].project_id, {"instances": 3})
    vms = boot(compute_cloud, name="many", min_count=2, max_count=5)
    assert sorted(v.name for v in vms) == ["many-1", "many-2", "many-3"]
    assert all(v.vm_state == states.ACTIVE for v in vms)


def test_foreign_server_is_not_found(compute_cloud):
    [vm] = boot(compute_cloud)
    from compute.tests.conftest import project_ctx

    stranger = project_ctx("admin", "admin")
    stranger = type(stranger)(user_id="x", project_id="other-project", roles=("member", "reader"))
    with pytest.raises(NotFound):
        services.get_server(stranger, vm.id)
    with pytest.raises(NotFound):
        services.delete_server(stranger, vm.id)
    rows, _ = services.list_servers(stranger)
    assert rows == []


def test_anti_affinity_group_spreads_members(compute_cloud):
    from compute.services import server_groups

    group = server_groups.create_group(compute_cloud["demo"], "spread", "anti-affinity")
    vms = boot(compute_cloud, name="ha", min_count=2, max_count=2, scheduler_hints={"group": group.id})
    assert len({v.host for v in vms}) == 2
    third = boot(compute_cloud, name="ha3", scheduler_hints={"group": group.id})[0]
    assert third.vm_state == states.ERROR
    assert "No valid host" in third.faults.get().message


def test_resize_confirm_and_revert(compute_cloud):
    [vm] = boot(compute_cloud)
    ctx = compute_cloud["demo"]
    source = vm.host
    with compute_cloud["run"]():
        services.resize(ctx, vm.id, "2")
    vm.refresh_from_db()
    assert states.status_from_state(vm.vm_state, vm.task_state) == "VERIFY_RESIZE"
    assert vm.flavor.flavorid == "2" and vm.host != source
    assert ComputeNode.objects.get(host=source).memory_mb_used == 128
    with compute_cloud["run"]():
        services.confirm_resize(ctx, vm.id)
    vm.refresh_from_db()
    assert vm.vm_state == states.ACTIVE and vm.old_flavor_id is None
    assert ComputeNode.objects.get(host=source).memory_mb_used == 0
    assert ComputeNode.objects.get(host=vm.host).memory_mb_used == 256

    second_source = vm.host
    with compute_cloud["run"]():
        services.resize(ctx, vm.id, "3")
    with compute_cloud["run"]():
        services.revert_resize(ctx, vm.id)
    vm.refresh_from_db()
    assert (vm.vm_state, vm.host, vm.flavor.flavorid) == (states.ACTIVE, second_source, "2")
    assert sum(ComputeNode.objects.values_list("memory_mb_used", flat=True)) == 256


def test_cold_migrate_moves_host(compute_cloud):
    [vm] = boot(compute_cloud)
    source = vm.host
    with compute_cloud["run"]():
        services.migrate(compute_cloud["admin"], vm.id)
    vm.refresh_from_db()
    assert vm.vm_state == states.RESIZED and vm.host != source
    with compute_cloud["run"]():
        services.confirm_resize(compute_cloud["demo"], vm.id)
    vm.refresh_from_db()
    assert vm.vm_state == states.ACTIVE
    assert ComputeNode.objects.get(host=source).running_vms == 0


def test_snapshot_lands_in_the_image_service(compute_cloud):
    from storage.images import services as image_services

    [vm] = boot(compute_cloud)
    with compute_cloud["run"]():
        image_id = services.create_image(compute_cloud["demo"], vm.id, "snap")
    image = image_services.get_image(compute_cloud["demo"], image_id)
    assert image.status == "active" and image.size > 0
    assert image.properties["instance_uuid"] == vm.id
    vm.refresh_from_db()
    assert vm.task_state is None


def test_rebuild_and_console_output(compute_cloud):
    [vm] = boot(compute_cloud)
    with compute_cloud["run"]():
        services.rebuild(compute_cloud["demo"], vm.id, compute_cloud["image"], name="rebuilt")
    vm.refresh_from_db()
    assert (vm.name, vm.vm_state) == ("rebuilt", states.ACTIVE)
    output = services.console_output(compute_cloud["demo"], vm.id, length=1)
    assert output.count("\n") == 1 and "Rebuilt" in services.console_output(compute_cloud["demo"], vm.id)
