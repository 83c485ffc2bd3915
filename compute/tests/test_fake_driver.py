"""The fake driver: in-memory guests per host, configurable capacity, delays and failures."""

import pytest

from compute.drivers.base import PAUSED, RUNNING, SHUTDOWN, SUSPENDED, DriverError
from compute.drivers.fake import FakeDriver, _guests


@pytest.fixture
def driver():
    _guests.pop("drv-host", None)
    yield FakeDriver("drv-host", vcpus=4, memory_mb=2048, local_gb=20, delay=0, fail=[])
    _guests.pop("drv-host", None)


INSTANCE = {"id": "i-1", "name": "one", "flavor": {"name": "m1.nano"}}


def test_capacity_comes_from_the_arguments(driver):
    assert driver.get_available_resource()["vcpus"] == 4
    assert driver.get_available_resource()["hypervisor_hostname"] == "drv-host"


def test_lifecycle_power_states(driver):
    driver.spawn(INSTANCE, {"id": "img", "name": "cirros"}, [{"fixed_ips": [{"ip_address": "10.0.0.5"}]}],
                 user_data="#!/bin/sh", key_data="ssh-rsa AAA")
    assert driver.get_info(INSTANCE)["power_state"] == RUNNING
    for call, state in ((driver.pause, PAUSED), (driver.unpause, RUNNING), (driver.suspend, SUSPENDED),
                        (driver.resume, RUNNING), (driver.power_off, SHUTDOWN), (driver.power_on, RUNNING)):
        call(INSTANCE)
        assert driver.get_info(INSTANCE)["power_state"] == state
    with pytest.raises(DriverError):
        driver.unpause(INSTANCE)  # not paused
    assert "10.0.0.5" in driver.get_console_output(INSTANCE)
    assert driver.list_instances() == ["i-1"]
    assert len(driver.snapshot(INSTANCE)) > 0
    driver.destroy(INSTANCE)
    assert driver.list_instances() == []
    with pytest.raises(DriverError):
        driver.get_info(INSTANCE)


def test_failures_by_operation_and_host():
    failing = FakeDriver("drv-host", fail=["drv-host:spawn"])
    with pytest.raises(DriverError, match="spawn failed"):
        failing.spawn(INSTANCE, {}, [])
    other = FakeDriver("other-host", fail=["drv-host:spawn"])
    other.spawn(INSTANCE, {}, [])
    other.destroy(INSTANCE)


def test_migration_steps_between_two_hosts():
    source, dest = FakeDriver("mig-a", fail=[]), FakeDriver("mig-b", fail=[])
    source.spawn(INSTANCE, {"id": "img"}, [])
    disk = source.migrate_disk_and_power_off(INSTANCE, "mig-b", {"name": "m1.micro"})
    assert source.get_info(INSTANCE)["power_state"] == SHUTDOWN
    dest.finish_migration(INSTANCE, {"name": "m1.micro"}, power_on=True, disk=disk)
    assert dest.get_info(INSTANCE)["power_state"] == RUNNING
    source.confirm_migration(INSTANCE)
    assert source.list_instances() == []
    dest.destroy(INSTANCE)
