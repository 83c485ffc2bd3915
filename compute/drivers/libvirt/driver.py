"""The libvirt driver: real guests under QEMU (TCG, or KVM where it works), or libvirt's in-memory test
driver for fast tests. One driver object per Nebula host name; several host names may share one libvirtd
(domain names and UUIDs are per host, see config.domain_uuid).

Files of an instance live in <NEBULA_LIBVIRT_INSTANCES_DIR>/<host>/<instance id>/: disk (a qcow2 overlay
on the host's image cache in <host>/_base), disk.config (the config drive), console.log (the serial
port) and info.json (what the host needs later without a database: the image, kernel and ramdisk ids).
During a resize the source keeps its directory as <instance id>_resize until confirm or revert.
"""

import base64
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import libvirt
from django.conf import settings

from compute.drivers.base import (CRASHED, NOSTATE, PAUSED, RUNNING, SHUTDOWN, SUSPENDED, ComputeDriver,
                                  DriverError, root_volume)
from compute.drivers.libvirt import config, configdrive, console, disks
from compute.drivers.libvirt.imagecache import ApiSource, FileSource, ImageCache

log = logging.getLogger("nebula.compute.libvirt")
GiB = 1024 ** 3

_POWER = {libvirt.VIR_DOMAIN_NOSTATE: NOSTATE, libvirt.VIR_DOMAIN_RUNNING: RUNNING,
          libvirt.VIR_DOMAIN_BLOCKED: RUNNING, libvirt.VIR_DOMAIN_PAUSED: PAUSED,
          libvirt.VIR_DOMAIN_SHUTDOWN: RUNNING, libvirt.VIR_DOMAIN_SHUTOFF: SHUTDOWN,
          libvirt.VIR_DOMAIN_CRASHED: CRASHED, libvirt.VIR_DOMAIN_PMSUSPENDED: SUSPENDED}


def _quiet_libvirt_errors(_ctx, _error):
    """libvirt prints every error on stderr by default; ours become DriverErrors instead."""


libvirt.registerErrorHandler(_quiet_libvirt_errors, None)


def image_source():
    if settings.LIBVIRT_IMAGE_SOURCE == "api":
        return ApiSource(settings.LIBVIRT_IMAGE_API_AUTH_URL, settings.LIBVIRT_IMAGE_API_URL,
                         settings.LIBVIRT_IMAGE_API_USERNAME, settings.LIBVIRT_IMAGE_API_PASSWORD,
                         settings.LIBVIRT_IMAGE_API_PROJECT)
    return FileSource(settings.IMAGE_STORE_DIR)


class LibvirtDriver(ComputeDriver):
    def __init__(self, host, uri=None, virt_type=None, instances_dir=None, source=None):
        super().__init__(host)
        self.uri = uri or settings.LIBVIRT_URI
        self.virt_type = "test" if self.uri.startswith("test:") else (virt_type or settings.LIBVIRT_VIRT_TYPE)
        self.root = Path(instances_dir or settings.LIBVIRT_INSTANCES_DIR) / host
        self.cache = ImageCache(self.root / "_base", source or image_source())
        self.boot_marker = re.compile(settings.LIBVIRT_BOOT_MARKER)
        self._connection = None
        self._lock = threading.RLock()
        self._periodic = None

    # -- plumbing ------------------------------------------------------------------------------
    @property
    def conn(self):
        with self._lock:
            if self._connection is None or not self._connection.isAlive():
                try:
                    self._connection = libvirt.open(self.uri)
                except libvirt.libvirtError as error:
                    raise DriverError(f"cannot connect to libvirt at {self.uri}: {error}") from error
            return self._connection

    def instance_dir(self, instance_id, suffix=""):
        if not re.fullmatch(r"[0-9a-fA-F-]{36}", instance_id or ""):
            raise DriverError(f"bad instance id {instance_id!r}")
        return self.root / f"{instance_id}{suffix}"

    def _mkdir(self, path):
        path.mkdir(parents=True, exist_ok=True)
        # QEMU runs as another user (libvirt-qemu): it must traverse to the files libvirt labels for it.
        for directory in (path, path.parent, self.root):
            os.chmod(directory, 0o755)
        return path

    def _domain(self, instance, required=True):
        self._forget_confirmed_resize(instance)
        try:
            return self.conn.lookupByUUIDString(config.domain_uuid(instance["id"], self.host))
        except libvirt.libvirtError as error:
            if error.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise DriverError(f"libvirt: {error}") from error
            if required:
                raise DriverError(f"Instance {instance['id']} could not be found on {self.host}.") from None
            return None

    def _forget_confirmed_resize(self, instance):
        """A resize on one host is confirmed without a word to that host (the conductor only tells a
        different source host), so the kept copy goes at the next operation on a server no longer RESIZED."""
        if instance.get("vm_state") not in (None, "resized"):
            shutil.rmtree(self.instance_dir(instance["id"], "_resize"), ignore_errors=True)

    def _call(self, what, function, *args):
        try:
            return function(*args)
        except libvirt.libvirtError as error:
            raise DriverError(f"{what} failed: {error}") from error

    @staticmethod
    def _power_of(domain):
        state = domain.state()[0]
        if state == libvirt.VIR_DOMAIN_SHUTOFF and domain.hasManagedSaveImage():
            return SUSPENDED
        return _POWER.get(state, NOSTATE)

    def _info(self, instance_dir):
        path = instance_dir / "info.json"
        return json.loads(path.read_text()) if path.exists() else {}

    # -- host --------------------------------------------------------------------------------
    def get_available_resource(self):
        model, memory_mb, cpus, *_rest = self.conn.getInfo()
        self.root.mkdir(parents=True, exist_ok=True)
        disk = shutil.disk_usage(self.root)
        reserved_disk_gb = settings.RESERVED_HOST_DISK_MB / 1024
        self.ensure_periodic()
        return {"vcpus": max(0, cpus - settings.RESERVED_HOST_CPUS),
                "memory_mb": max(0, memory_mb - settings.RESERVED_HOST_MEMORY_MB),
                "local_gb": max(0, int(disk.total / GiB - reserved_disk_gb)),
                "hypervisor_type": "QEMU" if self.virt_type in ("qemu", "kvm") else self.conn.getType(),
                "hypervisor_version": self.conn.getVersion(), "hypervisor_hostname": self.host,
                "cpu_info": json.dumps({"arch": "x86_64", "model": model, "virt_type": self.virt_type,
                                        "topology": {"cores": cpus, "sockets": 1, "threads": 1}})}

    def _own_domains(self):
        owned = {}
        for domain in self.conn.listAllDomains():
            parsed = config.parse_domain_name(domain.name())
            if parsed and parsed[1] == self.host:
                owned[parsed[0]] = domain
        return owned

    def list_instances(self):
        return list(self._own_domains())

    def power_states(self):
        states = {}
        for uuid, domain in self._own_domains().items():
            try:
                states[uuid] = self._power_of(domain)
            except libvirt.libvirtError:
                continue  # deleted between the listing and the question
        return states

    def get_info(self, instance):
        return {"power_state": self._power_of(self._domain(instance))}

    # -- build -------------------------------------------------------------------------------
    def _needs_config_drive(self, instance, image):
        properties = (image or {}).get("properties") or {}
        return bool(settings.LIBVIRT_FORCE_CONFIG_DRIVE or instance.get("config_drive")
                    or properties.get("img_config_drive") == "mandatory")

    def _fetch_boot_files(self, image):
        properties = (image or {}).get("properties") or {}
        kernel = ramdisk = ""
        if properties.get("kernel_id"):
            kernel = str(self.cache.fetch(properties["kernel_id"]))
            if properties.get("ramdisk_id"):
                ramdisk = str(self.cache.fetch(properties["ramdisk_id"]))
        return kernel, ramdisk

    def _define(self, instance, image, network_info, directory, config_drive=True, volumes=(), root=None):
        # A volume made from an image with kernel_id/ramdisk_id still needs the direct kernel boot: the
        # image metadata (the volume's) names them, the host's image cache fetches them as for any image.
        kernel, ramdisk = self._fetch_boot_files(image)
        spec = config.spec_for(instance, image, network_info, self.virt_type,
                               root["path"] if root else str(directory / "disk"),
                               str(directory / "console.log"), kernel=kernel, ramdisk=ramdisk,
                               config_drive_path=str(directory / "disk.config") if config_drive else "",
                               volumes=volumes, root_format=root["format"] if root else "qcow2")
        xml = config.domain_xml(spec)
        return self._call("define", self.conn.defineXML, xml)

    def _write_files(self, instance, image, network_info, directory, user_data, key_data, root=None):
        """The root overlay (sized to the flavor) unless the root is a volume, the config drive, an empty
        console log, info.json."""
        if root is None:
            base = self.cache.fetch(image["id"], image.get("checksum"))
            base_format = "qcow2" if image.get("disk_format") == "qcow2" else "raw"
            root_gb = int((instance.get("flavor") or {}).get("root_gb") or 0)
            disks.create_overlay(base, base_format, directory / "disk")
            disks.grow(directory / "disk", root_gb * GiB)
        drive = self._needs_config_drive(instance, image)
        if drive:
            configdrive.build(directory / "disk.config", instance, network_info, user_data, key_data)
        log_path = directory / "console.log"
        log_path.write_bytes(b"")
        os.chmod(log_path, 0o644)
        (directory / "info.json").write_text(json.dumps({
            "image": {k: image.get(k) for k in ("id", "name", "disk_format", "checksum", "properties")},
            "config_drive": drive, "root_volume": root}))
        return drive

    @staticmethod
    def _root_volume(block_device_info):
        """{"path", "format"} of the root volume's file, or None when the root disk comes from the image."""
        bdm = root_volume(block_device_info)
        if bdm is None:
            return None
        connection = bdm.get("connection_info") or {}
        data = connection.get("data") or {}
        if connection.get("driver_volume_type") != "file" or not data.get("path"):
            raise DriverError(f"connection type {connection.get('driver_volume_type')!r} of the root volume is "
                              "not supported by this compute host")
        return {"path": str(data["path"]), "format": "qcow2" if data.get("format") == "qcow2" else "raw"}

    def spawn(self, instance, image, network_info, user_data=None, key_data=None, volumes=(),
              block_device_info=None):
        root = self._root_volume(block_device_info)
        if root is None and (not image or not image.get("id")):
            raise DriverError("no image and no root volume to boot from")
        directory = self._mkdir(self.instance_dir(instance["id"]))
        drive = self._write_files(instance, image, network_info, directory, user_data, key_data, root=root)
        domain = self._define(instance, image, network_info, directory, config_drive=drive,
                              volumes=[config.Disk(**v) for v in volumes], root=root)
        self._boot(domain, directory)

    def _boot(self, domain, directory, start=None):
        offset = (directory / "console.log").stat().st_size if (directory / "console.log").exists() else 0
        (start or domain.create)()
        self._wait_for_boot(directory / "console.log", offset)

    def _wait_for_boot(self, path, offset):
        """Until the guest says it is up (or LIBVIRT_BOOT_WAIT seconds): the console the host reports with
        the build then holds the boot messages. Not an error when the marker never comes."""
        if self.virt_type == "test" or settings.LIBVIRT_BOOT_WAIT <= 0:
            return
        deadline = time.monotonic() + settings.LIBVIRT_BOOT_WAIT
        while time.monotonic() < deadline:
            try:
                with open(path, "rb") as handle:
                    handle.seek(offset)
                    if self.boot_marker.search(handle.read().decode("utf-8", "replace")):
                        return
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        log.warning("no boot marker from %s after %ss", path, settings.LIBVIRT_BOOT_WAIT)

    # -- delete ------------------------------------------------------------------------------
    def _undefine(self, instance):
        domain = self._domain(instance, required=False)
        if domain is None:
            return
        if domain.isActive():
            try:
                domain.destroy()
            except libvirt.libvirtError as error:
                if domain.isActive():
                    raise DriverError(f"destroy failed: {error}") from error
        flags = libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
        try:
            domain.undefineFlags(flags)
        except libvirt.libvirtError:
            if domain.hasManagedSaveImage():
                domain.managedSaveRemove()
            domain.undefine()

    def destroy(self, instance):
        """Domain, managed save, disks, config drive, console log: nothing is left."""
        self._undefine(instance)
        for suffix in ("", "_resize"):
            shutil.rmtree(self.instance_dir(instance["id"], suffix), ignore_errors=True)

    # -- power -------------------------------------------------------------------------------
    def power_off(self, instance, timeout=None):
        """ACPI first, then destroy after the grace period (a guest without acpid never powers off)."""
        domain = self._domain(instance)
        timeout = settings.LIBVIRT_SHUTDOWN_TIMEOUT if timeout is None else timeout
        if not domain.isActive():
            return
        if domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING and timeout > 0:
            try:
                domain.shutdown()
            except libvirt.libvirtError:
                pass
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and domain.isActive():
                time.sleep(0.1)
        if domain.isActive():
            self._call("destroy", domain.destroy)

    def power_on(self, instance):
        domain = self._domain(instance)
        if domain.isActive():
            return
        self._boot(domain, self.instance_dir(instance["id"]))

    def reboot(self, instance, reboot_type="SOFT"):
        domain = self._domain(instance)
        if reboot_type.upper() == "SOFT":
            self.power_off(instance)
        elif domain.isActive():
            self._call("destroy", domain.destroy)
        if domain.hasManagedSaveImage():
            domain.managedSaveRemove()  # a hard reboot of a suspended guest boots it afresh
        self._boot(domain, self.instance_dir(instance["id"]))

    def pause(self, instance):
        domain = self._domain(instance)
        self._call("pause", domain.suspend)

    def unpause(self, instance):
        domain = self._domain(instance)
        self._call("unpause", domain.resume)

    def suspend(self, instance):
        """Memory to disk (managedSave): the QEMU process goes away, create() restores it."""
        domain = self._domain(instance)
        self._call("suspend", domain.managedSave, 0)

    def resume(self, instance):
        domain = self._domain(instance)
        if not domain.hasManagedSaveImage():
            raise DriverError(f"Instance {instance['id']} is not suspended.")
        self._call("resume", domain.create)

    # -- rebuild, snapshot -------------------------------------------------------------------
    def rebuild(self, instance, image):
        """A fresh root disk from the image; attached volumes stay attached."""
        volumes = self.attached_volumes(instance)
        self._undefine(instance)
        shutil.rmtree(self.instance_dir(instance["id"]), ignore_errors=True)
        user_data = (base64.b64decode(instance["user_data"]).decode("utf-8", "replace")
                     if instance.get("user_data") else None)
        self.spawn(instance, image, instance.get("network_info") or [], user_data, instance.get("key_data"),
                   volumes=volumes)

    def snapshot(self, instance):
        """The root disk flattened into one file (paused meanwhile, for a consistent copy): a compressed qcow2,
        or raw when the server's image was raw, since the new image record takes that image's disk_format."""
        directory = self.instance_dir(instance["id"])
        domain = self._domain(instance)
        paused = domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING and self.virt_type != "test"
        if paused:
            self._call("pause", domain.suspend)
        try:
            with tempfile.TemporaryDirectory(dir=self.root) as scratch:
                output = "qcow2" if (instance.get("image") or {}).get("disk_format") == "qcow2" else "raw"
                target = Path(scratch) / f"snapshot.{output}"
                disks.flatten(directory / "disk", target, output)
                return target.read_bytes()
        finally:
            if paused:
                self._call("unpause", domain.resume)

    def get_console_output(self, instance, length=None):
        return console.read(self.instance_dir(instance["id"]) / "console.log", length)

    def console_signature(self, instance):
        return console.signature(self.instance_dir(instance["id"]) / "console.log")

    # -- resize and cold migration -----------------------------------------------------------
    def migrate_disk_and_power_off(self, instance, dest_host, flavor):
        """Stop the guest and keep its directory as <id>_resize for a revert; the destination copies the
        disk from there (hosts of one machine share the file system; across machines this is where an
        rsync/ssh copy would go)."""
        directory = self.instance_dir(instance["id"])
        if not directory.exists():
            raise DriverError(f"Instance {instance['id']} has no disk on {self.host}.")
        new_root = int((flavor or {}).get("root_gb") or 0) * GiB
        on_volume = bool(self._info(directory).get("root_volume"))  # the root stays the volume's file
        if new_root and not on_volume and disks.info(directory / "disk")["virtual-size"] > new_root:
            raise DriverError("Resize error: unable to shrink the root disk.")
        domain = self._domain(instance, required=False)
        if domain is not None and domain.isActive():
            self.power_off(instance)
        # Attached volumes travel with the disk (their files are reachable from every host of this machine).
        info = {**self._info(directory), "volumes": self.attached_volumes(instance)}
        (directory / "info.json").write_text(json.dumps(info))
        if domain is not None:
            self._undefine(instance)
        resize_dir = self.instance_dir(instance["id"], "_resize")
        shutil.rmtree(resize_dir, ignore_errors=True)
        os.replace(directory, resize_dir)
        return {"source_host": self.host, "path": str(resize_dir)}

    def finish_migration(self, instance, flavor, power_on=True, disk=None):
        source = Path((disk or {}).get("path") or "")
        info = self._info(source)
        root = info.get("root_volume")
        if not root and not (source / "disk").exists():
            raise DriverError(f"the disk of {instance['id']} is not at {source}")
        directory = self._mkdir(self.instance_dir(instance["id"]))
        image = {**(instance.get("image") or {}), **info.get("image", {})}
        if (source / "console.log").exists():
            shutil.copyfile(source / "console.log", directory / "console.log")
        if not root:
            shutil.copyfile(source / "disk", directory / "disk")
            base = self.cache.fetch(image["id"], image.get("checksum"))
            disks.rebase(directory / "disk", base, "qcow2" if image.get("disk_format") == "qcow2" else "raw")
            disks.grow(directory / "disk", int((flavor or {}).get("root_gb") or 0) * GiB)
        drive = bool(info.get("config_drive"))
        if drive:
            shutil.copyfile(source / "disk.config", directory / "disk.config")
        (directory / "info.json").write_text(json.dumps({**info, "image": image}))
        instance = {**instance, "flavor": flavor or instance.get("flavor"), "host": self.host}
        domain = self._define(instance, image, instance.get("network_info") or [], directory, config_drive=drive,
                              volumes=[config.Disk(**v) for v in info.get("volumes", [])], root=root)
        if power_on:
            self._boot(domain, directory)

    def confirm_migration(self, instance):
        shutil.rmtree(self.instance_dir(instance["id"], "_resize"), ignore_errors=True)

    def finish_revert_migration(self, instance, power_on=True):
        resize_dir = self.instance_dir(instance["id"], "_resize")
        if not resize_dir.exists():
            raise DriverError(f"nothing to revert for {instance['id']} on {self.host}")
        self._undefine(instance)  # the resized guest, when it ran on this same host
        directory = self.instance_dir(instance["id"])
        shutil.rmtree(directory, ignore_errors=True)
        os.replace(resize_dir, directory)
        info = self._info(directory)
        image = {**(instance.get("image") or {}), **info.get("image", {})}
        domain = self._define(instance, image, instance.get("network_info") or [], directory,
                              config_drive=bool(info.get("config_drive")),
                              volumes=[config.Disk(**v) for v in info.get("volumes", [])],
                              root=info.get("root_volume"))
        if power_on:
            self._boot(domain, directory)

    # -- block devices -------------------------------------------------------------------------
    def attach_disk(self, instance, path, target, disk_format="qcow2", bus="virtio"):
        """Live where the connection can hot-plug (QEMU); otherwise (the test driver) the domain is
        redefined with the disk in its XML, under the same UUID."""
        domain = self._domain(instance)
        xml = config.disk_xml(config.Disk(path=str(path), target=target, bus=bus, format=disk_format))
        flags = libvirt.VIR_DOMAIN_AFFECT_CONFIG | (libvirt.VIR_DOMAIN_AFFECT_LIVE if domain.isActive() else 0)
        try:
            domain.attachDeviceFlags(xml, flags)
        except libvirt.libvirtError as error:
            if error.get_error_code() != libvirt.VIR_ERR_NO_SUPPORT:
                raise DriverError(f"attach failed: {error}") from error
            self._redefine(domain, lambda devices: devices.replace("</devices>", xml + "</devices>"))

    def detach_disk(self, instance, target):
        domain = self._domain(instance)
        current = domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        match = re.search(r"<disk\b(?:(?!</disk>).)*<target dev='%s'(?:(?!</disk>).)*</disk>" % re.escape(target),
                          current, re.S)
        if not match:
            raise DriverError(f"no disk {target} on {instance['id']}")
        flags = libvirt.VIR_DOMAIN_AFFECT_CONFIG | (libvirt.VIR_DOMAIN_AFFECT_LIVE if domain.isActive() else 0)
        try:
            domain.detachDeviceFlags(match.group(0), flags)
        except libvirt.libvirtError as error:
            if error.get_error_code() != libvirt.VIR_ERR_NO_SUPPORT:
                raise DriverError(f"detach failed: {error}") from error
            self._redefine(domain, lambda devices: devices.replace(match.group(0), ""))

    def _redefine(self, domain, change):
        xml = domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        self._call("redefine", self.conn.defineXML, change(xml))

    def attached_volumes(self, instance):
        """The disks of the persistent definition besides the root disk and the config drive."""
        domain = self._domain(instance, required=False)
        if domain is None:
            return []
        directory = self.instance_dir(instance["id"])
        own = {str(directory / "disk"), str(directory / "disk.config")}
        root = self._info(directory).get("root_volume")
        if root:
            own.add(root["path"])  # the root volume of a boot from volume is the root disk, not an attachment
        volumes = []
        for disk in ET.fromstring(domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)).iterfind("devices/disk"):
            source, target, driver = disk.find("source"), disk.find("target"), disk.find("driver")
            path = source.get("file") if source is not None else None
            if not path or path in own or target is None:
                continue
            volumes.append({"path": path, "target": target.get("dev"), "bus": target.get("bus") or "virtio",
                            "format": driver.get("type") if driver is not None else "raw"})
        return volumes

    def disk_targets(self, instance, live=False):
        """Disk targets of the persistent definition (what the next boot gets), or of the running guest."""
        flags = 0 if live else libvirt.VIR_DOMAIN_XML_INACTIVE
        return re.findall(r"<target dev='([a-z]+)' bus=", self._domain(instance).XMLDesc(flags))

    # -- periodic ------------------------------------------------------------------------------
    def ensure_periodic(self):
        if settings.LIBVIRT_PERIODIC_INTERVAL > 0 and (self._periodic is None or not self._periodic.is_alive()):
            self._periodic = threading.Thread(target=self._periodic_loop, name=f"libvirt-periodic-{self.host}",
                                              daemon=True)
            self._periodic.start()

    def _periodic_loop(self):
        while True:
            time.sleep(settings.LIBVIRT_PERIODIC_INTERVAL)
            try:
                self.periodic_tasks()
            except Exception:  # noqa: BLE001 - the next round tries again
                log.exception("libvirt periodic tasks of %s failed", self.host)

    def images_in_use(self):
        used = set()
        for directory in self.root.glob("*"):
            if directory.name.startswith("_") or not directory.is_dir():
                continue
            info = self._info(directory)
            image = info.get("image") or {}
            properties = image.get("properties") or {}
            used.update(x for x in (image.get("id"), properties.get("kernel_id"), properties.get("ramdisk_id")) if x)
        return used

    def periodic_tasks(self):
        """Prune unused bases; report domains of this host whose files are gone, and directories without a
        domain (the conductor reports those the database does not know, from the power states)."""
        removed = self.cache.prune(self.images_in_use(), settings.LIBVIRT_IMAGE_CACHE_MAX_AGE)
        domains = self._own_domains()
        orphans = [uuid for uuid in domains if not self.instance_dir(uuid).exists()
                   and not self.instance_dir(uuid, "_resize").exists()]
        if orphans:
            log.warning("host %s: domains without instance files: %s", self.host, ", ".join(orphans))
        return {"pruned": removed, "orphans": orphans}
