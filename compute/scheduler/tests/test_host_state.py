from datetime import datetime, timedelta, timezone

import pytest

from compute.scheduler import host_states_from_rows
from compute.scheduler.tests.factories import host, spec

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


def test_rows_become_host_states_with_defaults(settings):
    settings.COMPUTE_CPU_ALLOCATION_RATIO = 4.0
    [state] = host_states_from_rows([{"host": "h1", "vcpus": 8, "memory_mb": 4096, "local_gb": 40,
                                      "local_gb_used": 10, "up": True}])
    assert state.nodename == "h1"
    assert state.free_disk_gb == 30
    assert state.cpu_allocation_ratio == 4.0
    assert state.availability_zone == "nova"
    assert state.enabled and state.up


def test_model_style_rows_with_service_lookups():
    rows = [
        {"id": 7, "host": "h1", "hypervisor_hostname": "h1.node", "service__disabled": False,
         "service__forced_down": False, "service__last_seen_up": NOW - timedelta(seconds=30),
         "service__availability_zone": "zone-a", "running_vms": 3, "memory_mb": 1000, "memory_mb_used": 100,
         "reserved_host_memory_mb": 50, "cpu_allocation_ratio": 2.0,
         "cpu_info": '{"supported_instances": [["x86_64", "QEMU", "hvm"]]}'},
        {"id": 8, "host": "h2", "service__disabled": True, "service__last_seen_up": NOW - timedelta(seconds=61)},
        {"id": 9, "host": "h3", "service__forced_down": True, "service__last_seen_up": NOW},
    ]
    h1, h2, h3 = host_states_from_rows(rows, now=NOW, service_down_time=60)
    assert (h1.id, h1.nodename, h1.availability_zone, h1.num_instances) == (7, "h1.node", "zone-a", 3)
    assert h1.memory_mb_used == 150
    assert h1.cpu_allocation_ratio == 2.0
    assert h1.supported_instances == (("x86_64", "qemu", "hvm"),)
    assert h1.enabled and h1.up
    assert not h2.enabled and not h2.up
    assert h3.enabled and not h3.up


def test_aggregates_by_host_list_give_metadata_and_zone():
    aggregates = [
        {"name": "fast", "metadata": {"ssd": "true"}, "availability_zone": None, "hosts": ["h1"]},
        {"name": "az1", "metadata": {}, "availability_zone": "az1", "hosts": ["h1", "h2"]},
    ]
    h1, h2, h3 = host_states_from_rows([{"host": "h1", "availability_zone": "svc-zone"}, {"host": "h2"},
                                        {"host": "h3"}], aggregates=aggregates, now=NOW)
    assert h1.availability_zone == "az1"  # an aggregate's zone wins, as in Nova
    assert h1.aggregate_metadata() == {"ssd": {"true"}}
    assert [a.name for a in h1.aggregates] == ["fast", "az1"]
    assert h2.availability_zone == "az1" and h2.aggregate_metadata() == {}
    assert h3.availability_zone == "nova" and h3.aggregates == ()
    assert not h3.up  # no heartbeat at all


def test_consume_charges_the_instance():
    state = host("h", vcpus=4, memory_mb=4096, local_gb=40)
    state.consume(spec(vcpus=2, memory_mb=1024, root_gb=10, ephemeral_gb=5, swap=512), "uuid-1")
    assert (state.vcpus_used, state.memory_mb_used, state.num_instances, state.num_io_ops) == (2, 1024, 1, 1)
    assert state.free_disk_gb == pytest.approx(40 - 15.5)
    assert state.local_gb_used == pytest.approx(15.5)
    assert "uuid-1" in state.instance_uuids
    assert state.usable_vcpus == 4 * 16.0 - 2


def test_every_row_key_lands_in_its_field():
    row = {"id": 5, "uuid": "u-5", "host": "h", "nodename": "n", "availability_zone": "z", "enabled": True,
           "up": True, "vcpus": 2, "vcpus_used": 3, "memory_mb": 4, "memory_mb_used": 5, "local_gb": 60,
           "local_gb_used": 7, "free_disk_gb": 8, "cpu_allocation_ratio": 9.0, "ram_allocation_ratio": 10.0,
           "disk_allocation_ratio": 11.0, "num_instances": 12, "num_io_ops": 13, "instance_uuids": ["i1"],
           "hypervisor_type": "qemu", "hypervisor_version": 14, "cpu_info": {"model": "x"},
           "supported_instances": [["x86_64", "qemu", "hvm"]]}
    [state] = host_states_from_rows([row])
    assert (state.id, state.uuid, state.host, state.nodename, state.availability_zone) == (5, "u-5", "h", "n", "z")
    assert (state.vcpus, state.vcpus_used, state.memory_mb, state.memory_mb_used) == (2, 3, 4, 5)
    assert (state.local_gb, state.local_gb_used, state.free_disk_gb) == (60, 7, 8)
    assert (state.cpu_allocation_ratio, state.ram_allocation_ratio, state.disk_allocation_ratio) == (9.0, 10.0, 11.0)
    assert (state.num_instances, state.num_io_ops, state.instance_uuids) == (12, 13, frozenset({"i1"}))
    assert (state.hypervisor_type, state.hypervisor_version, state.cpu_info) == ("qemu", 14, {"model": "x"})
    assert state.supported_instances == (("x86_64", "qemu", "hvm"),)


@pytest.mark.django_db
def test_up_and_enabled_computed_by_the_database_agree_with_the_timestamps():
    from django.utils import timezone

    from compute.models import ComputeNode, ComputeService
    from compute.scheduler.host_state import with_up_and_enabled

    now = timezone.now()
    cases = {  # host: (disabled, forced_down, seconds since the last heartbeat or None)
        "fresh": (False, False, 5), "stale": (False, False, 600), "never": (False, False, None),
        "disabled": (True, False, 5), "forced": (False, True, 5),
    }
    for host, (disabled, forced_down, age) in cases.items():
        service = ComputeService.objects.create(
            host=host, disabled=disabled, forced_down=forced_down,
            last_seen_up=None if age is None else now - timedelta(seconds=age))
        ComputeNode.objects.create(service=service, host=host, hypervisor_hostname=host, vcpus=4, memory_mb=1024)
    columns = ("host", "vcpus", "memory_mb")
    in_sql = host_states_from_rows(with_up_and_enabled(ComputeNode.objects.all(), now=now, service_down_time=60)
                                   .values(*columns, "up", "enabled"), now=now, service_down_time=60)
    from_timestamps = host_states_from_rows(
        ComputeNode.objects.values(*columns, "service__disabled", "service__forced_down", "service__last_seen_up"),
        now=now, service_down_time=60)
    expected = {"fresh": (True, True), "stale": (True, False), "never": (True, False), "disabled": (False, True),
                "forced": (True, False)}
    assert {s.host: (s.enabled, s.up) for s in in_sql} == expected
    assert {s.host: (s.enabled, s.up) for s in from_timestamps} == expected


def test_supported_instances_from_cpu_info_arch_when_not_advertised():
    fake, bare, listed = host_states_from_rows([
        {"host": "fake", "hypervisor_type": "fake", "cpu_info": '{"arch": "x86_64", "model": "fake"}'},
        {"host": "bare", "hypervisor_type": "qemu", "cpu_info": "{}"},
        {"host": "listed", "hypervisor_type": "qemu",
         "cpu_info": {"arch": "x86_64", "supported_instances": [["aarch64", "qemu", "hvm"]]}},
    ])
    assert fake.supported_instances == (("x86_64", "fake", "hvm"),)
    assert bare.supported_instances == ()
    assert listed.supported_instances == (("aarch64", "qemu", "hvm"),)
