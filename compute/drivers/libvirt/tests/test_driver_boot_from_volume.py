"""Boot from volume in the libvirt driver (test:///default): the root disk vda is the volume's file named
in the connection info, the image's kernel and ramdisk are still fetched for the direct kernel boot, no
overlay is made, and a resize or delete leaves the volume's file alone."""

import subprocess
import xml.etree.ElementTree as ET

import libvirt
import pytest

from compute.drivers.base import RUNNING, DriverError
from compute.drivers.libvirt.tests.test_driver import _domain, _instance, driver  # noqa: F401  (fixture)


def _block_device_info(path, kind="file", fmt="raw"):
    return {"root_device_name": "/dev/vda", "block_device_mapping": [
        {"boot_index": 0, "mount_device": "vda", "volume_id": "v-1",
         "connection_info": {"driver_volume_type": kind, "data": {"path": str(path), "format": fmt}}}]}


def _disks(domain):
    root = ET.fromstring(domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    return {d.find("target").get("dev"): (d.find("source").get("file"), d.find("driver").get("type"))
            for d in root.iterfind("devices/disk")}


@pytest.fixture
def volume_file(tmp_path):
    path = tmp_path / "volumes" / "volume-v-1"
    path.parent.mkdir()
    subprocess.run(["qemu-img", "create", "-q", "-f", "raw", str(path), "16M"], check=True)
    return path


def test_spawn_from_a_volume_uses_its_file_as_vda(driver, image_store, volume_file):  # noqa: F811
    instance = _instance(driver)
    driver.spawn(instance, image_store["image"], [], None, None, block_device_info=_block_device_info(volume_file))
    assert driver.get_info(instance)["power_state"] == RUNNING
    disks = _disks(_domain(driver, instance))
    assert disks["vda"] == (str(volume_file), "raw")
    directory = driver.instance_dir(instance["id"])
    assert not (directory / "disk").exists()  # no copy of the image: the volume is the root
    assert driver.cache.path(image_store["kernel_id"]).exists() and driver.cache.path(image_store["ramdisk_id"]).exists()
    assert driver.attached_volumes(instance) == []  # the root volume is no hot-plugged volume

    bigger = {"vcpus": 2, "memory_mb": 256, "root_gb": 2, "name": "m1.bigger"}
    disk = driver.migrate_disk_and_power_off(instance, driver.host, bigger)
    driver.finish_migration({**instance, "flavor": bigger}, bigger, power_on=True, disk=disk)
    assert _disks(_domain(driver, instance))["vda"] == (str(volume_file), "raw")
    driver.confirm_migration(instance)

    driver.destroy(instance)
    assert volume_file.exists() and not directory.exists()


def test_spawn_refuses_a_connection_it_cannot_open(driver, image_store, volume_file):  # noqa: F811
    instance = _instance(driver)
    with pytest.raises(DriverError, match="not supported"):
        driver.spawn(instance, image_store["image"], [], block_device_info=_block_device_info(volume_file, "iscsi"))
    with pytest.raises(DriverError, match="no image and no root volume"):
        driver.spawn(_instance(driver), {}, [])
