"""The driver against libvirt's in-memory test driver (test:///default): lifecycle, files, the redefine
fallback for disks. Real QEMU is exercised end to end in tests/test_libvirt_vm.py."""

import base64
import json
import os
import time
import uuid

import libvirt
import pytest

from compute.drivers.base import PAUSED, RUNNING, SHUTDOWN, SUSPENDED, DriverError
from compute.drivers.libvirt import LibvirtDriver, configdrive, disks
from compute.drivers.libvirt.imagecache import FileSource

GiB = 1024 ** 3


@pytest.fixture
def driver(tmp_path, image_store, settings):
    settings.LIBVIRT_SHUTDOWN_TIMEOUT = 0.2
    settings.LIBVIRT_PERIODIC_INTERVAL = 0
    host = f"t-{uuid.uuid4().hex[:8]}"  # the test driver's state is shared by the whole process
    made = LibvirtDriver(host, uri="test:///default", instances_dir=tmp_path / "instances",
                         source=FileSource(image_store["dir"]))
    yield made
    for instance_id in made.list_instances():
        made.destroy({"id": instance_id, "host": host})


def _instance(driver, flavor=None, **extra):
    return {"id": str(uuid.uuid4()), "name": "vm-one", "host": driver.host, "key_name": "k",
            "flavor": flavor or {"vcpus": 1, "memory_mb": 128, "root_gb": 1, "name": "m1.nano"},
            "user_data": base64.b64encode(b"hello").decode(), "key_data": "ssh-ed25519 AAAA me", **extra}


def _spawn(driver, image_store, **extra):
    instance = _instance(driver, **extra)
    driver.spawn(instance, image_store["image"], [{"mac_address": "fa:16:3e:00:00:09", "fixed_ips": []}],
                 "hello", instance["key_data"])
    return instance


def _domain(driver, instance):
    return driver.conn.lookupByName(f"nebula-{instance['id']}-{driver.host}")


def test_spawn_defines_a_running_domain_with_an_overlay_sized_to_the_flavor(driver, image_store):
    instance = _spawn(driver, image_store)
    assert driver.get_info(instance)["power_state"] == RUNNING
    assert driver.list_instances() == [instance["id"]]
    directory = driver.instance_dir(instance["id"])
    info = disks.info(directory / "disk")
    assert info["virtual-size"] == 1 * GiB
    assert info["backing-filename"] == str(driver.cache.path(image_store["image"]["id"]))
    files, label = configdrive.read(directory / "disk.config")
    assert label == "config-2" and files["openstack/latest/user_data"] == b"hello"
    assert (directory / "console.log").exists()
    # Kernel and ramdisk were fetched into the cache for the direct kernel boot.
    assert driver.cache.path(image_store["kernel_id"]).exists()
    assert driver.cache.path(image_store["ramdisk_id"]).exists()
    assert _domain(driver, instance).XMLDesc(0).count("<disk ") == 2


def test_power_operations(driver, image_store):
    instance = _spawn(driver, image_store)
    started = time.monotonic()
    driver.power_off(instance)  # the test driver honours ACPI at once; no grace period needed
    assert time.monotonic() - started < 5
    assert driver.get_info(instance)["power_state"] == SHUTDOWN
    driver.power_on(instance)
    assert driver.get_info(instance)["power_state"] == RUNNING
    driver.reboot(instance, "SOFT")
    driver.reboot(instance, "HARD")
    assert driver.get_info(instance)["power_state"] == RUNNING
    driver.pause(instance)
    assert driver.get_info(instance)["power_state"] == PAUSED
    driver.unpause(instance)
    driver.suspend(instance)
    assert driver.get_info(instance)["power_state"] == SUSPENDED
    assert driver.power_states() == {instance["id"]: SUSPENDED}
    driver.resume(instance)
    assert driver.get_info(instance)["power_state"] == RUNNING
    with pytest.raises(DriverError, match="not suspended"):
        driver.resume(instance)


def test_operations_on_an_unknown_instance_fail_with_a_driver_error(driver):
    with pytest.raises(DriverError, match="could not be found"):
        driver.power_on(_instance(driver))


def test_destroy_leaves_nothing_behind(driver, image_store):
    instance = _spawn(driver, image_store)
    driver.suspend(instance)
    driver.destroy(instance)
    assert driver.list_instances() == []
    assert not driver.instance_dir(instance["id"]).exists()
    with pytest.raises(libvirt.libvirtError):
        driver.conn.lookupByName(f"nebula-{instance['id']}-{driver.host}")
    driver.destroy(instance)  # twice is fine


def test_rebuild_gives_a_fresh_disk_from_the_new_image(driver, image_store, tmp_path):
    instance = _spawn(driver, image_store)
    disk = driver.instance_dir(instance["id"]) / "disk"
    disks.qemu_img("resize", "-q", str(disk), str(2 * GiB))  # a mark on the old disk
    other_id = str(uuid.uuid4())
    disks.qemu_img("create", "-q", "-f", "qcow2", str(image_store["dir"] / other_id), "8M")
    driver.rebuild(instance, {"id": other_id, "disk_format": "qcow2", "properties": {}})
    info = disks.info(disk)
    assert info["virtual-size"] == 1 * GiB and info["backing-filename"].endswith(other_id)
    assert driver.get_info(instance)["power_state"] == RUNNING
    assert "<kernel>" not in _domain(driver, instance).XMLDesc(0)


def test_snapshot_is_a_standalone_image_in_the_format_of_the_servers_image(driver, image_store, tmp_path):
    instance = _spawn(driver, image_store, image=image_store["image"])
    target = tmp_path / "snap"
    target.write_bytes(driver.snapshot(instance))
    info = disks.info(target)
    assert info["format"] == "qcow2" and "backing-filename" not in info and info["virtual-size"] == 1 * GiB
    # A raw image's snapshot is raw too: the snapshot's image record copies the disk_format.
    target.write_bytes(driver.snapshot({**instance, "image": {**image_store["image"], "disk_format": "raw"}}))
    assert disks.info(target)["format"] == "raw" and target.stat().st_size == 1 * GiB


def test_resize_on_the_same_host_confirm(driver, image_store):
    instance = _spawn(driver, image_store)
    bigger = {"vcpus": 2, "memory_mb": 256, "root_gb": 2, "name": "m1.big"}
    disk = driver.migrate_disk_and_power_off(instance, driver.host, bigger)
    assert driver.list_instances() == []
    driver.finish_migration({**instance, "flavor": bigger}, bigger, power_on=True, disk=disk)
    xml = _domain(driver, instance).XMLDesc(0)
    assert "<vcpu placement='static'>2</vcpu>" in xml and "262144" in xml
    assert disks.info(driver.instance_dir(instance["id"]) / "disk")["virtual-size"] == 2 * GiB
    driver.confirm_migration(instance)
    assert not driver.instance_dir(instance["id"], "_resize").exists()
    assert driver.get_info(instance)["power_state"] == RUNNING


def test_a_same_host_resize_confirmed_silently_drops_its_copy_at_the_next_operation(driver, image_store):
    instance = _spawn(driver, image_store)
    bigger = {"vcpus": 2, "memory_mb": 256, "root_gb": 2, "name": "m1.big"}
    disk = driver.migrate_disk_and_power_off(instance, driver.host, bigger)
    driver.finish_migration({**instance, "flavor": bigger}, bigger, power_on=True, disk=disk)
    driver.pause({**instance, "vm_state": "resized"})
    assert driver.instance_dir(instance["id"], "_resize").exists()
    driver.unpause({**instance, "vm_state": "active"})
    assert not driver.instance_dir(instance["id"], "_resize").exists()


def test_resize_revert_on_the_same_host_restores_the_old_guest(driver, image_store):
    instance = _spawn(driver, image_store)
    bigger = {"vcpus": 2, "memory_mb": 256, "root_gb": 2, "name": "m1.big"}
    disk = driver.migrate_disk_and_power_off(instance, driver.host, bigger)
    driver.finish_migration({**instance, "flavor": bigger}, bigger, power_on=True, disk=disk)
    driver.finish_revert_migration(instance, power_on=True)
    assert "<vcpu placement='static'>1</vcpu>" in _domain(driver, instance).XMLDesc(0)
    assert disks.info(driver.instance_dir(instance["id"]) / "disk")["virtual-size"] == 1 * GiB
    assert not driver.instance_dir(instance["id"], "_resize").exists()


def test_resize_refuses_to_shrink_the_root_disk(driver, image_store):
    instance = _spawn(driver, image_store, flavor={"vcpus": 1, "memory_mb": 128, "root_gb": 2})
    with pytest.raises(DriverError, match="shrink"):
        driver.migrate_disk_and_power_off(instance, driver.host, {"vcpus": 1, "memory_mb": 128, "root_gb": 1})
    assert driver.get_info(instance)["power_state"] == RUNNING


def test_cold_migration_between_two_hosts(driver, image_store, tmp_path):
    instance = _spawn(driver, image_store)
    other = LibvirtDriver(f"{driver.host}-b", uri="test:///default", instances_dir=tmp_path / "instances",
                          source=FileSource(image_store["dir"]))
    disk = driver.migrate_disk_and_power_off(instance, other.host, instance["flavor"])
    moved = {**instance, "host": other.host}
    other.finish_migration(moved, instance["flavor"], power_on=True, disk=disk)
    try:
        assert other.list_instances() == [instance["id"]] and driver.list_instances() == []
        # The overlay now reads from the destination host's own cache.
        assert disks.info(other.instance_dir(instance["id"]) / "disk")["backing-filename"] == str(
            other.cache.path(image_store["image"]["id"]))
        driver.confirm_migration(instance)
        assert not driver.instance_dir(instance["id"], "_resize").exists()
    finally:
        other.destroy(moved)


def test_disk_attach_and_detach_redefine_on_the_test_driver(driver, image_store, tmp_path):
    instance = _spawn(driver, image_store)
    volume = tmp_path / "vol.qcow2"
    disks.qemu_img("create", "-q", "-f", "qcow2", str(volume), "8M")
    # The test driver cannot hot-plug: the fallback is a redefinition under the same UUID.
    with pytest.raises(libvirt.libvirtError):
        _domain(driver, instance).attachDeviceFlags("<disk/>", 0)
    driver.attach_disk(instance, volume, "vdc")
    assert driver.disk_targets(instance) == ["vda", "vdb", "vdc"]
    driver.detach_disk(instance, "vdc")
    assert driver.disk_targets(instance) == ["vda", "vdb"]
    with pytest.raises(DriverError, match="no disk vdz"):
        driver.detach_disk(instance, "vdz")


def test_available_resource_subtracts_the_reserved_amounts(driver, settings):
    settings.RESERVED_HOST_MEMORY_MB = 1000
    settings.RESERVED_HOST_CPUS = 2
    _model, memory_mb, cpus, *_ = driver.conn.getInfo()
    report = driver.get_available_resource()
    assert report["memory_mb"] == memory_mb - 1000 and report["vcpus"] == cpus - 2
    assert report["local_gb"] > 0 and report["hypervisor_hostname"] == driver.host
    assert json.loads(report["cpu_info"])["arch"] == "x86_64"


def test_periodic_prunes_unused_bases_and_reports_domains_without_files(driver, image_store, settings):
    settings.LIBVIRT_IMAGE_CACHE_MAX_AGE = 0
    kept = _spawn(driver, image_store)
    gone = _spawn(driver, image_store)
    stale = driver.cache.fetch("extra", None) if (image_store["dir"] / "extra").write_bytes(b"x") else None
    old = time.time() - 10
    os.utime(stale, (old, old))
    import shutil

    shutil.rmtree(driver.instance_dir(gone["id"]))
    result = driver.periodic_tasks()
    assert result == {"pruned": ["extra"], "orphans": [gone["id"]]}
    assert driver.cache.path(image_store["image"]["id"]).exists()
    assert kept["id"] in driver.list_instances()


def test_attached_volumes_survive_rebuild_resize_and_revert(driver, image_store, tmp_path):
    instance = _spawn(driver, image_store)
    volume = tmp_path / "vol.raw"
    volume.write_bytes(b"\0" * 1024 * 1024)
    driver.attach_disk(instance, volume, "vdc", disk_format="raw")
    assert driver.attached_volumes(instance) == [{"path": str(volume), "target": "vdc", "bus": "virtio",
                                                   "format": "raw"}]
    driver.rebuild(instance, image_store["image"])
    assert driver.disk_targets(instance) == ["vda", "vdb", "vdc"]
    bigger = {"vcpus": 2, "memory_mb": 256, "root_gb": 2, "name": "m1.big"}
    disk = driver.migrate_disk_and_power_off(instance, driver.host, bigger)
    driver.finish_migration({**instance, "flavor": bigger}, bigger, power_on=True, disk=disk)
    assert driver.disk_targets(instance) == ["vda", "vdb", "vdc"]
    driver.finish_revert_migration(instance, power_on=True)
    assert driver.disk_targets(instance) == ["vda", "vdb", "vdc"]
    driver.destroy(instance)
    assert volume.exists()  # a volume is not the server's to delete
