"""Claims under a race (PostgreSQL), reschedules to an alternate host, and the dead-host build timeout."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from compute import conductor, services
from compute.models import ComputeNode, Instance
from compute.services import hosts, states


@pytest.mark.django_db(transaction=True)
def test_two_claims_racing_for_the_last_room_never_both_win():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no race to lose")
    hosts.register_host("race-host", {"vcpus": 1, "memory_mb": 1024, "local_gb": 10})
    ComputeNode.objects.filter(host="race-host").update(cpu_allocation_ratio=1.0, ram_allocation_ratio=1.0,
                                                        disk_allocation_ratio=1.0)
    flavor = {"vcpus": 1, "memory_mb": 512, "root_gb": 1}
    for _ in range(20):
        ComputeNode.objects.filter(host="race-host").update(vcpus_used=0, memory_mb_used=0, local_gb_used=0,
                                                            running_vms=0)
        barrier = threading.Barrier(2)
        results = []

        def racer():
            try:
                barrier.wait()
                results.append(hosts.claim("race-host", flavor))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=racer) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [False, True]
        node = ComputeNode.objects.get(host="race-host")
        assert (node.vcpus_used, node.memory_mb_used, node.running_vms) == (1, 512, 1)


def test_claim_refuses_what_does_not_fit(db):
    hosts.register_host("small", {"vcpus": 2, "memory_mb": 1000, "local_gb": 5})
    ComputeNode.objects.filter(host="small").update(ram_allocation_ratio=1.0, cpu_allocation_ratio=1.0)
    assert hosts.claim("small", {"vcpus": 1, "memory_mb": 600, "root_gb": 1})
    assert not hosts.claim("small", {"vcpus": 1, "memory_mb": 600, "root_gb": 1})
    assert not hosts.claim("small", {"vcpus": 3, "memory_mb": 1, "root_gb": 1})
    assert not hosts.claim("small", {"vcpus": 1, "memory_mb": 1, "root_gb": 9})
    hosts.release("small", {"vcpus": 1, "memory_mb": 600, "root_gb": 1})
    assert ComputeNode.objects.get(host="small").memory_mb_used == 0


@pytest.mark.django_db
def test_failed_build_is_rescheduled_to_the_alternate(compute_cloud, settings):
    from compute import manager

    settings.FAKE_COMPUTE_FAIL = ["fake-a:spawn"]
    manager._drivers.clear()
    try:
        with compute_cloud["run"]():
            instances, _ = services.create_server(
                compute_cloud["demo"], name="resilient", flavor_ref="1", image_ref=compute_cloud["image"],
                networks=[{"uuid": compute_cloud["network"]}], min_count=4, max_count=4)
    finally:
        manager._drivers.clear()
    rows = Instance.objects.filter(id__in=[i.id for i in instances])
    assert {(r.vm_state, r.host) for r in rows} == {(states.ACTIVE, "fake-b")}
    assert ComputeNode.objects.get(host="fake-a").running_vms == 0
    assert ComputeNode.objects.get(host="fake-b").running_vms == 4


@pytest.mark.django_db
def test_server_whose_host_died_mid_build_goes_to_error(compute_cloud, settings,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the build message to the host is never delivered
        instances, _ = services.create_server(compute_cloud["demo"], name="orphan", flavor_ref="1",
                                              image_ref=compute_cloud["image"], networks="none")
        conductor.build_instances([instances[0].id], "req-test")
    row = Instance.objects.get(id=instances[0].id)
    assert (row.vm_state, row.task_state) == (states.BUILDING, states.SPAWNING) and row.host
    node = ComputeNode.objects.get(host=row.host)
    assert node.running_vms == 1
    assert conductor.expire_stuck_tasks() == 0  # not yet: within the timeout
    Instance.objects.filter(id=row.id).update(
        task_started_at=timezone.now() - timedelta(seconds=settings.COMPUTE_BUILD_TIMEOUT + 1))
    assert conductor.expire_stuck_tasks() == 1
    row.refresh_from_db()
    assert (row.vm_state, row.task_state, row.host) == (states.ERROR, None, None)
    assert "timed out" in row.faults.get().message
    assert ComputeNode.objects.get(pk=node.pk).running_vms == 0


@pytest.mark.django_db
def test_heartbeats_make_hosts_up_and_silence_down(compute_cloud, settings):
    from compute.models import ComputeService

    assert all(s.is_up() for s in ComputeService.objects.filter(host__in=compute_cloud["hosts"]))
    ComputeService.objects.filter(host="fake-a").update(last_seen_up=timezone.now() - timedelta(
        seconds=settings.COMPUTE_SERVICE_DOWN_TIME + 1))
    assert not ComputeService.objects.get(host="fake-a").is_up()
    with compute_cloud["run"]():
        services.create_server(compute_cloud["demo"], name="lands-on-b", flavor_ref="1",
                               image_ref=compute_cloud["image"], networks="none")
    assert Instance.objects.get(name="lands-on-b").host == "fake-b"


@pytest.mark.django_db
def test_power_state_sync_records_a_guest_that_stopped(compute_cloud):
    from compute import manager
    from compute.drivers import fake

    with compute_cloud["run"]():
        [vm], _ = services.create_server(compute_cloud["demo"], name="sync", flavor_ref="1",
                                         image_ref=compute_cloud["image"], networks="none")
    vm.refresh_from_db()
    with fake._lock:
        fake._guests[vm.host][vm.id]["power_state"] = 4  # the guest shut itself down
    with compute_cloud["run"]():
        manager.report_host(vm.host)
    vm.refresh_from_db()
    assert (vm.vm_state, vm.power_state) == (states.STOPPED, 4)
