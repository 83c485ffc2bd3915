"""A pure-Python hypervisor: guests are dicts in memory, one table per host name.

Capacity, delay and failures come from settings (NEBULA_FAKE_*), so one machine can pretend to be
many hosts of any size, slow ones, and ones whose spawns fail. NEBULA_FAKE_FAIL lists operations that
fail: "spawn" on every host, "host-a:spawn" on one, "all" / "host-a:all" for everything.
"""

import hashlib
import threading
import time

from django.conf import settings

from compute.drivers.base import PAUSED, RUNNING, SHUTDOWN, SUSPENDED, ComputeDriver, DriverError, root_volume

_guests = {}  # host -> {instance id -> guest}
_lock = threading.Lock()


class FakeDriver(ComputeDriver):
    def __init__(self, host, vcpus=None, memory_mb=None, local_gb=None, delay=None, fail=None):
        super().__init__(host)
        self.vcpus = vcpus if vcpus is not None else settings.FAKE_COMPUTE_VCPUS
        self.memory_mb = memory_mb if memory_mb is not None else settings.FAKE_COMPUTE_MEMORY_MB
        self.local_gb = local_gb if local_gb is not None else settings.FAKE_COMPUTE_LOCAL_GB
        self.delay = delay if delay is not None else settings.FAKE_COMPUTE_DELAY
        self.fail = set(fail if fail is not None else settings.FAKE_COMPUTE_FAIL)

    @property
    def guests(self):
        return _guests.setdefault(self.host, {})

    # -- helpers -----------------------------------------------------------------------------
    def _work(self, operation):
        if self.delay:
            time.sleep(self.delay)
        wanted = {operation, "all", f"{self.host}:{operation}", f"{self.host}:all"}
        if wanted & self.fail:
            raise DriverError(f"fake driver on {self.host}: {operation} failed (NEBULA_FAKE_FAIL)")

    def _guest(self, instance):
        guest = self.guests.get(instance["id"])
        if guest is None:
            raise DriverError(f"Instance {instance['id']} could not be found on {self.host}.")
        return guest

    def _log(self, guest, line):
        guest["console"].append(f"[{time.strftime('%H:%M:%S')}] {line}")

    def _set(self, instance, state, line, expect=None):
        with _lock:
            guest = self._guest(instance)
            if expect is not None and guest["power_state"] not in expect:
                raise DriverError(f"Instance {instance['id']} is in power state {guest['power_state']}.")
            guest["power_state"] = state
            self._log(guest, line)

    # -- the interface ----------------------------------------------------------------------
    def get_available_resource(self):
        return {"vcpus": self.vcpus, "memory_mb": self.memory_mb, "local_gb": self.local_gb,
                "hypervisor_type": "fake", "hypervisor_version": 1000, "hypervisor_hostname": self.host,
                "cpu_info": '{"arch": "x86_64", "model": "fake"}'}

    def list_instances(self):
        with _lock:
            return list(self.guests)

    def get_info(self, instance):
        with _lock:
            return {"power_state": self._guest(instance)["power_state"]}

    def power_states(self):
        with _lock:
            return {uuid: guest["power_state"] for uuid, guest in self.guests.items()}

    def spawn(self, instance, image, network_info, user_data=None, key_data=None, block_device_info=None):
        self._work("spawn")
        addresses = [ip["ip_address"] for vif in network_info or [] for ip in vif.get("fixed_ips", [])]
        root = root_volume(block_device_info)
        with _lock:
            guest = {"power_state": RUNNING, "flavor": instance.get("flavor", {}), "image": image,
                     "console": [], "old_flavor": None, "block_device_info": block_device_info, "disks": {}}
            self.guests[instance["id"]] = guest
            if root is not None:
                data = (root.get("connection_info") or {}).get("data") or {}
                guest["disks"][root.get("mount_device") or "vda"] = {"path": data.get("path") or "",
                                                                     "format": data.get("format", "raw")}
                self._log(guest, f"Booting {instance.get('name')} from volume {root.get('volume_id')}")
            else:
                self._log(guest, f"Booting {instance.get('name')} from image {image.get('name') or image.get('id')}")
            self._log(guest, f"cloud-init: addresses {', '.join(addresses) or 'none'}")
            if key_data:
                self._log(guest, "cloud-init: authorized an SSH key")
            if user_data:
                self._log(guest, f"cloud-init: user data of {len(user_data)} bytes")
            self._log(guest, f"{instance.get('name')} login:")

    def destroy(self, instance):
        self._work("destroy")
        with _lock:
            self.guests.pop(instance["id"], None)

    def power_off(self, instance):
        self._work("power_off")
        self._set(instance, SHUTDOWN, "Power down.")

    def power_on(self, instance):
        self._work("power_on")
        self._set(instance, RUNNING, "Power on.")

    def reboot(self, instance, reboot_type="SOFT"):
        self._work("reboot")
        self._set(instance, RUNNING, f"Reboot ({reboot_type.lower()}).")

    def pause(self, instance):
        self._work("pause")
        self._set(instance, PAUSED, "Paused.", expect={RUNNING})

    def unpause(self, instance):
        self._work("unpause")
        self._set(instance, RUNNING, "Unpaused.", expect={PAUSED})

    def suspend(self, instance):
        self._work("suspend")
        self._set(instance, SUSPENDED, "Suspended to disk.", expect={RUNNING})

    def resume(self, instance):
        self._work("resume")
        self._set(instance, RUNNING, "Resumed.", expect={SUSPENDED})

    def rebuild(self, instance, image):
        self._work("rebuild")
        with _lock:
            guest = self._guest(instance)
            guest.update(image=image, power_state=RUNNING)
            self._log(guest, f"Rebuilt from image {image.get('name') or image.get('id')}")

    def migrate_disk_and_power_off(self, instance, dest_host, flavor):
        self._work("migrate")
        with _lock:
            guest = self._guest(instance)
            guest["power_state"] = SHUTDOWN
            guest["migrating_to"] = dest_host
            self._log(guest, f"Migrating to {dest_host}")
            return {"image": guest["image"], "console": list(guest["console"])}

    def finish_migration(self, instance, flavor, power_on=True, disk=None):
        self._work("finish_migration")
        with _lock:
            guest = self.guests.get(instance["id"]) or {"console": [], "image": (disk or {}).get("image", {})}
            if disk and not guest["console"]:
                guest["console"] = list(disk.get("console", []))
            guest.update(old_flavor=guest.get("flavor"), flavor=flavor,
                         power_state=RUNNING if power_on else SHUTDOWN)
            self.guests[instance["id"]] = guest
            self._log(guest, f"Running with flavor {flavor.get('name')}")

    def finish_revert_migration(self, instance, power_on=True):
        with _lock:
            guest = self._guest(instance)
            guest["power_state"] = RUNNING if power_on else SHUTDOWN
            guest.pop("migrating_to", None)
            self._log(guest, "Resize reverted.")

    def confirm_migration(self, instance):
        with _lock:
            self.guests.pop(instance["id"], None)

    def snapshot(self, instance):
        self._work("snapshot")
        with _lock:
            guest = self._guest(instance)
            self._log(guest, "Snapshot taken.")
            seed = f"{instance['id']}:{guest['image'].get('id')}:{len(guest['console'])}".encode()
        # Deterministic bytes that differ per snapshot: enough for the image service to store and hash.
        return hashlib.sha256(seed).digest() * 64

    def attach_disk(self, instance, path, target, disk_format="qcow2", bus="virtio"):
        self._work("attach_disk")
        with _lock:
            guest = self._guest(instance)
            if target in guest.setdefault("disks", {}):
                raise DriverError(f"{target} is already in use on {instance['id']}")
            guest["disks"][target] = {"path": str(path), "format": disk_format}
            self._log(guest, f"Disk {target} attached ({path}).")

    def detach_disk(self, instance, target):
        self._work("detach_disk")
        with _lock:
            guest = self._guest(instance)
            if guest.setdefault("disks", {}).pop(target, None) is None:
                raise DriverError(f"no disk {target} on {instance['id']}")
            self._log(guest, f"Disk {target} detached.")

    def get_console_output(self, instance):
        with _lock:
            return "\n".join(self._guest(instance)["console"]) + "\n"

    def guest_prints(self, instance, line):
        """What a running guest writes on its console on its own (tests of console freshness)."""
        with _lock:
            self._log(self._guest(instance), line)
