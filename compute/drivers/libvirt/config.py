"""Domain XML for one instance, built from plain data: the flavor, the image, the ports, the disks.

Knows libvirt's XML and nothing of the connection. Two back ends are produced today:

* ``qemu`` / ``kvm``: a full virtual machine. The image decides the disk bus (``hw_disk_bus``, default
  virtio) and the boot: direct kernel boot (``<kernel>``/``<initrd>``/``<cmdline>``) when it names a
  kernel_id/ramdisk_id, the root disk otherwise.
* ``test``: the same XML with type='test', which the libvirt test driver accepts for the fast unit
  tests (it ignores devices it does not model).

Planned, not built: the LXC variant (``lxc:///``). It would use ``<os><type>exe</type><init>/sbin/init
</init></os>`` and a ``<filesystem type='mount'>`` whose source is the root disk exposed through
``qemu-nbd`` (or an image unpacked into a directory), with no kernel, no serial file (the console is
``<console type='pty'>`` logged by virtlogd) and no config drive device (the config drive content is
bind-mounted at /mnt/config instead). It is not offered because container start fails on these hosts
(hybrid cgroup layout, see shared/notes/INFRA-RECIPES.md section 3).
"""

import uuid as uuid_module
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

NAMESPACE = "https://nebula.example/xmlns/libvirt/instance/1.0"
DISK_BUSES = {"virtio": "vd", "scsi": "sd", "sata": "sd", "ide": "hd"}


@dataclass
class Disk:
    path: str
    target: str  # vda, vdb, ...
    bus: str = "virtio"
    format: str = "qcow2"
    device: str = "disk"  # disk | cdrom
    readonly: bool = False
    serial: str = ""


@dataclass
class DomainSpec:
    name: str
    uuid: str
    instance_id: str
    host: str
    vcpus: int
    memory_mb: int
    virt_type: str = "qemu"
    kernel: str = ""
    ramdisk: str = ""
    cmdline: str = ""
    disks: list = field(default_factory=list)
    interfaces: list = field(default_factory=list)  # [{"mac": ..., "mtu": ...}]
    console_log: str = ""
    emulator: str = "/usr/bin/qemu-system-x86_64"


def domain_uuid(instance_id, host):
    """Per host: two Nebula hosts on one libvirtd (a cold migration between them) must not collide."""
    return str(uuid_module.uuid5(uuid_module.UUID(instance_id), host))


def domain_name(instance_id, host):
    return f"nebula-{instance_id}-{host}"


def parse_domain_name(name):
    """(instance id, host) of a Nebula domain name, or None for any other domain."""
    if not name.startswith("nebula-") or len(name) < 45 or name[43] != "-":
        return None
    return name[7:43], name[44:]


def disk_bus(image):
    bus = ((image or {}).get("properties") or {}).get("hw_disk_bus") or "virtio"
    return bus if bus in DISK_BUSES else "virtio"


def disk_target(bus, index):
    return DISK_BUSES[bus] + "abcdefghijklmnopqrstuvwxyz"[index]


def spec_for(instance, image, network_info, virt_type, root_path, console_log, kernel="", ramdisk="",
             config_drive_path="", volumes=(), root_format="qcow2"):
    """The DomainSpec of an instance dict (as it travels in the task message). root_path is the overlay
    in the instance's directory, or the root volume's file (root_format raw or qcow2) for a boot from volume."""
    flavor = instance.get("flavor") or {}
    properties = (image or {}).get("properties") or {}
    bus = disk_bus(image)
    disks = [Disk(path=root_path, target=disk_target(bus, 0), bus=bus, format=root_format)]
    if config_drive_path:
        # A read-only virtio disk: the guest finds it by its label (config-2); no CD-ROM controller needed.
        disks.append(Disk(path=config_drive_path, target=disk_target(bus, 1), bus=bus, format="raw", readonly=True,
                          serial="config-2"))
    for volume in volumes:
        disks.append(volume)
    interfaces = [{"mac": vif.get("address") or vif.get("mac_address"), "mtu": (vif.get("network") or {}).get("mtu")
                   or vif.get("mtu")} for vif in network_info or []]
    cmdline = ""
    if kernel:
        cmdline = properties.get("os_command_line") or "console=ttyS0 panic=-1 quiet"
        cmdline = f"root=/dev/{disk_target(bus, 0)} {cmdline}" if "root=" not in cmdline else cmdline
    return DomainSpec(name=domain_name(instance["id"], instance["host"]), uuid=domain_uuid(instance["id"],
                      instance["host"]), instance_id=instance["id"], host=instance["host"],
                      vcpus=int(flavor.get("vcpus") or 1), memory_mb=int(flavor.get("memory_mb") or 128),
                      virt_type=virt_type, kernel=kernel, ramdisk=ramdisk, cmdline=cmdline, disks=disks,
                      interfaces=[i for i in interfaces if i["mac"]], console_log=console_log)


def disk_xml(disk):
    readonly = "<readonly/>" if disk.readonly else ""
    serial = f"<serial>{disk.serial}</serial>" if disk.serial else ""
    return (f"<disk type='file' device={quoteattr(disk.device)}>"
            f"<driver name='qemu' type={quoteattr(disk.format)} cache='none'/>"
            f"<source file={quoteattr(disk.path)}/><target dev={quoteattr(disk.target)} bus={quoteattr(disk.bus)}/>"
            f"{readonly}{serial}</disk>")


def interface_xml(interface):
    # The logical network driver has no data plane: a user-mode NIC needs no host bridge and still gives
    # the guest the port's MAC (its DHCP answer comes from QEMU's slirp, not from the port's address).
    # libvirt 9 refuses <mtu> on a user-mode NIC: the port's MTU reaches the guest in network_data.json.
    return (f"<interface type='user'><mac address={quoteattr(interface['mac'])}/>"
            "<model type='virtio'/></interface>")


def domain_xml(spec):
    """The <domain> document; type='test' keeps only what the libvirt test driver understands."""
    test = spec.virt_type == "test"
    os_parts = ["<type arch='x86_64'>hvm</type>" if test else "<type arch='x86_64' machine='pc'>hvm</type>"]
    if spec.kernel and not test:
        os_parts.append(f"<kernel>{spec.kernel}</kernel>")
        if spec.ramdisk:
            os_parts.append(f"<initrd>{spec.ramdisk}</initrd>")
        os_parts.append(f"<cmdline>{_text(spec.cmdline)}</cmdline>")
    elif not test:
        os_parts.append("<boot dev='hd'/>")
    devices = []
    if not test:
        devices.append(f"<emulator>{spec.emulator}</emulator>")
    devices += [disk_xml(d) for d in spec.disks]
    if not test:
        devices += [interface_xml(i) for i in spec.interfaces]
        if spec.console_log:
            devices.append(f"<serial type='file'><source path={quoteattr(spec.console_log)} append='on'/>"
                           "<target port='0'/></serial>")
        devices.append("<memballoon model='none'/>")
    metadata = (f"<metadata><nebula:instance xmlns:nebula='{NAMESPACE}'><nebula:id>{spec.instance_id}</nebula:id>"
                f"<nebula:host>{_text(spec.host)}</nebula:host></nebula:instance></metadata>")
    return (f"<domain type={quoteattr(spec.virt_type)}><name>{_text(spec.name)}</name><uuid>{spec.uuid}</uuid>"
            f"{metadata}<memory unit='MiB'>{spec.memory_mb}</memory><vcpu>{spec.vcpus}</vcpu>"
            f"<os>{''.join(os_parts)}</os><features><acpi/></features>"
            "<on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>"
            f"<devices>{''.join(devices)}</devices></domain>")


def _text(value):
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
