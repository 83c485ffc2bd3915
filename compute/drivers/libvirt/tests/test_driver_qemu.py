"""The driver on a real QEMU guest (TCG, qemu:///system), directly, without the cloud: what the API cannot
reach yet (disk hot-plug) and the host side of a boot. The full server life runs in tests/test_libvirt_vm.py."""

import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import libvirt
import pytest

from compute.drivers.base import RUNNING
from compute.drivers.libvirt import LibvirtDriver, disks
from compute.drivers.libvirt.imagecache import FileSource
from core.testing.processes import ROOT

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def qemu_driver():
    started = subprocess.run([str(ROOT / "bin" / "libvirtd-up")], capture_output=True, text=True, timeout=60)
    if started.returncode != 0:
        pytest.skip(f"libvirtd cannot run on this machine: {started.stderr.strip()}")
    from storage.images.bootable import builder

    try:
        artefacts = builder.build()
    except builder.BuildUnavailable as error:
        pytest.skip(f"cirros-nebula cannot be built here: {error}")
    # QEMU runs as libvirt-qemu: its files need a world-traversable path (pytest's tmp dirs are private).
    root = Path(tempfile.mkdtemp(prefix="nebula-qemu-unit-", dir="/var/tmp"))
    root.chmod(0o755)
    store = root / "store"
    store.mkdir()
    ids = {name: str(uuid.uuid4()) for name in ("disk", "kernel", "ramdisk")}
    shutil.copyfile(artefacts.disk, store / ids["disk"])
    shutil.copyfile(artefacts.kernel, store / ids["kernel"])
    shutil.copyfile(artefacts.ramdisk, store / ids["ramdisk"])
    image = {"id": ids["disk"], "disk_format": "qcow2", "checksum": artefacts.checksums["disk.qcow2"],
             "properties": {"kernel_id": ids["kernel"], "ramdisk_id": ids["ramdisk"],
                            "os_command_line": "console=ttyS0 panic=-1 quiet"}}
    host = f"qemu-unit-{uuid.uuid4().hex[:6]}"
    driver = LibvirtDriver(host, uri="qemu:///system", virt_type="qemu", instances_dir=root / "instances",
                           source=FileSource(store))
    yield driver, image, root
    for instance_id in driver.list_instances():
        driver.destroy({"id": instance_id, "host": host})
    shutil.rmtree(root, ignore_errors=True)


def test_boot_hot_plug_and_unplug_a_disk_then_leave_nothing(qemu_driver, settings):
    driver, image, root = qemu_driver
    settings.LIBVIRT_BOOT_WAIT = 60
    instance = {"id": str(uuid.uuid4()), "name": "hotplug", "host": driver.host,
                "flavor": {"vcpus": 1, "memory_mb": 128, "root_gb": 1}}
    driver.spawn(instance, image, [], "user-data-here", None)
    text = driver.get_console_output(instance)
    assert "hostname: hotplug" in text and "user-data-here" in text and "boot complete" in text
    assert driver.get_info(instance)["power_state"] == RUNNING

    volume = root / "volume.qcow2"
    disks.qemu_img("create", "-q", "-f", "qcow2", str(volume), "64M")
    started = time.monotonic()
    driver.attach_disk(instance, volume, "vdc")
    assert time.monotonic() - started < 5
    assert driver.disk_targets(instance, live=True) == ["vda", "vdb", "vdc"]  # live: no restart needed
    assert driver.disk_targets(instance) == ["vda", "vdb", "vdc"]  # and kept for the next boot

    driver.detach_disk(instance, "vdc")
    deadline = time.monotonic() + 30
    while "vdc" in driver.disk_targets(instance, live=True) and time.monotonic() < deadline:
        time.sleep(0.2)  # the guest acknowledges the unplug (ACPI PCI hot-plug) in its own time
    assert driver.disk_targets(instance, live=True) == ["vda", "vdb"]

    directory = driver.instance_dir(instance["id"])
    driver.destroy(instance)
    assert not directory.exists()
    names = [d.name() for d in driver.conn.listAllDomains()]
    assert not any(instance["id"] in name for name in names)
    with pytest.raises(libvirt.libvirtError):
        driver.conn.lookupByUUIDString(instance["id"])
