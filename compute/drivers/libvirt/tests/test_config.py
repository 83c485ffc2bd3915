import uuid
import xml.etree.ElementTree as ET

from compute.drivers.libvirt import config

INSTANCE = {"id": str(uuid.uuid4()), "host": "h1", "name": "vm1",
            "flavor": {"vcpus": 2, "memory_mb": 256, "root_gb": 1}}
PORTS = [{"port_id": "p1", "mac_address": "fa:16:3e:00:00:01", "mtu": 1450, "fixed_ips": []},
         {"port_id": "p2", "mac_address": "fa:16:3e:00:00:02", "mtu": None, "fixed_ips": []}]


def _xml(image, virt_type="qemu", **kw):
    spec = config.spec_for(INSTANCE, image, PORTS, virt_type, "/i/disk", "/i/console.log", **kw)
    return ET.fromstring(config.domain_xml(spec))


def test_flavor_gives_vcpus_and_memory_and_host_scoped_identity():
    root = _xml({"id": "x"})
    assert root.get("type") == "qemu"
    assert root.find("vcpu").text == "2"
    assert root.find("memory").text == "256" and root.find("memory").get("unit") == "MiB"
    assert root.find("uuid").text == config.domain_uuid(INSTANCE["id"], "h1")
    assert root.find("uuid").text != config.domain_uuid(INSTANCE["id"], "h2")
    assert root.find("name").text == f"nebula-{INSTANCE['id']}-h1"


def test_image_with_kernel_and_ramdisk_boots_directly():
    image = {"id": "x", "properties": {"kernel_id": "k", "ramdisk_id": "r", "os_command_line": "console=ttyS0"}}
    root = _xml(image, kernel="/c/k", ramdisk="/c/r")
    assert root.find("os/kernel").text == "/c/k"
    assert root.find("os/initrd").text == "/c/r"
    assert root.find("os/cmdline").text == "root=/dev/vda console=ttyS0"
    assert root.find("os/boot") is None


def test_image_without_kernel_boots_from_its_disk_on_the_bus_it_asks_for():
    root = _xml({"id": "x", "properties": {"hw_disk_bus": "scsi"}})
    assert root.find("os/kernel") is None
    assert root.find("os/boot").get("dev") == "hd"
    target = root.find("devices/disk/target")
    assert (target.get("dev"), target.get("bus")) == ("sda", "scsi")


def test_ports_become_user_mode_interfaces_with_their_mac():
    interfaces = _xml({"id": "x"}).findall("devices/interface")
    assert [i.get("type") for i in interfaces] == ["user", "user"]
    assert [i.find("mac").get("address") for i in interfaces] == ["fa:16:3e:00:00:01", "fa:16:3e:00:00:02"]
    assert [i.find("model").get("type") for i in interfaces] == ["virtio", "virtio"]


def test_disks_root_config_drive_and_volumes_in_order():
    volume = config.Disk(path="/v/vol", target="vdc", format="raw")
    root = _xml({"id": "x"}, config_drive_path="/i/disk.config", volumes=[volume])
    disks = root.findall("devices/disk")
    assert [d.find("source").get("file") for d in disks] == ["/i/disk", "/i/disk.config", "/v/vol"]
    assert [d.find("target").get("dev") for d in disks] == ["vda", "vdb", "vdc"]
    assert disks[1].find("readonly") is not None and disks[1].find("driver").get("type") == "raw"
    assert disks[0].find("driver").get("type") == "qcow2"


def test_serial_console_is_a_file_that_is_appended_to():
    serial = _xml({"id": "x"}).find("devices/serial")
    assert serial.get("type") == "file"
    assert serial.find("source").get("path") == "/i/console.log"
    assert serial.find("source").get("append") == "on"


def test_test_driver_xml_keeps_only_what_it_models():
    root = _xml({"id": "x", "properties": {"kernel_id": "k"}}, virt_type="test", kernel="/c/k")
    assert root.get("type") == "test"
    assert root.find("os/kernel") is None and root.find("devices/emulator") is None
    assert root.find("devices/interface") is None and root.find("devices/serial") is None
    assert len(root.findall("devices/disk")) == 1


def test_names_are_escaped():
    spec = config.spec_for({**INSTANCE, "host": "h<&>"}, {"id": "x"}, [], "qemu", "/a'b", "/c")
    root = ET.fromstring(config.domain_xml(spec))
    assert root.find("devices/disk/source").get("file") == "/a'b"
