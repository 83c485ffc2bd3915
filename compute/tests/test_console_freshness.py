"""The console a reader sees follows the guest: the host's periodic report carries changed consoles, and
os-getConsoleOutput asks the host for a fresh one (answering the stored text when the host is down)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from compute import conductor, manager, services
from compute.models import ComputeService, Instance
from compute.tests.test_boot_flow import boot

pytestmark = pytest.mark.django_db

V = "/compute/v2.1"


def _prints(vm, line):
    manager.driver_for(vm.host).guest_prints({"id": vm.id}, line)


def test_a_report_carries_a_console_that_changed_and_only_then(compute_cloud):
    [vm] = boot(compute_cloud)
    manager.report_host(vm.host)  # this worker has not sent this console yet
    _prints(vm, "guest: hello after boot")
    driver = manager.driver_for(vm.host)
    changed = manager.changed_consoles(vm.host, driver, [vm.id])
    assert list(changed) == [vm.id] and changed[vm.id].endswith("guest: hello after boot\n")
    assert manager.changed_consoles(vm.host, driver, [vm.id]) == {}

    _prints(vm, "guest: second line")
    manager.report_host(vm.host)
    row = Instance.objects.get(id=vm.id)
    assert "guest: second line" in row.console_log and row.console_updated_at is not None
    stamp = row.console_updated_at
    manager.report_host(vm.host)  # nothing new printed: nothing sent, nothing written
    assert Instance.objects.get(id=vm.id).console_updated_at == stamp


def test_the_reported_console_is_a_bounded_tail(compute_cloud, settings):
    settings.COMPUTE_CONSOLE_TAIL_BYTES = 200
    [vm] = boot(compute_cloud)
    for n in range(50):
        _prints(vm, f"guest: line {n}")
    manager.report_host(vm.host)
    console = Instance.objects.get(id=vm.id).console_log
    assert len(console) <= 200 and console.endswith("guest: line 49\n")
    assert console.splitlines()[0].startswith("[")  # cut at a line start


def test_console_output_answers_what_the_guest_printed_since_its_last_action(api, compute_cloud, demo_token):
    [vm] = boot(compute_cloud)
    _prints(vm, "guest: printed after the last action")
    assert "printed after the last action" not in Instance.objects.get(id=vm.id).console_log
    output = api.post(f"{V}/servers/{vm.id}/action", {"os-getConsoleOutput": {"length": 5}}, token=demo_token)
    assert output.status_code == 200
    assert output.json()["output"].endswith("guest: printed after the last action\n")
    assert "printed after the last action" in Instance.objects.get(id=vm.id).console_log


def test_console_output_of_a_server_whose_host_is_down_is_the_stored_text(compute_cloud, settings):
    settings.COMPUTE_CONSOLE_WAIT = 5
    [vm] = boot(compute_cloud)
    stored = Instance.objects.get(id=vm.id).console_log
    _prints(vm, "guest: unseen, its host is down")
    ComputeService.objects.filter(host=vm.host).update(last_seen_up=timezone.now() - timedelta(hours=1))
    started = timezone.now()
    assert services.console_output(compute_cloud["demo"], vm.id) == stored
    assert (timezone.now() - started).total_seconds() < 1  # no wait for a host that cannot answer


def test_a_host_report_stores_many_consoles_in_constant_queries(compute_cloud, django_assert_max_num_queries):
    vms = boot(compute_cloud, name="many", min_count=6, max_count=6)
    consoles = {vm.id: f"console of {vm.name}\n" for vm in vms if vm.host == vms[0].host}
    consoles["not-a-guest-of-this-host"] = "ignored\n"
    power_states = {vm_id: 1 for vm_id in consoles}
    resources = manager.driver_for(vms[0].host).get_available_resource()
    with django_assert_max_num_queries(12):
        conductor.host_report(vms[0].host, "nova", resources, power_states, None, consoles)
    for vm_id, text in consoles.items():
        if vm_id != "not-a-guest-of-this-host":
            assert Instance.objects.get(id=vm_id).console_log == text


def test_a_host_without_the_guests_console_leaves_the_stored_text(compute_cloud):
    [vm] = boot(compute_cloud)
    stored = Instance.objects.get(id=vm.id).console_log
    manager.driver_for(vm.host).guests.pop(vm.id)  # the host no longer has it (mid-migration, say)
    assert services.console_output(compute_cloud["demo"], vm.id) == stored
    row = Instance.objects.get(id=vm.id)
    assert row.console_log == stored and row.console_updated_at is not None  # answered, nothing wiped
