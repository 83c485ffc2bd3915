"""The hypervisor driver interface. A driver knows its back end and nothing of HTTP or the ORM.

Every method takes plain dicts (the instance as it travels in the task message: id, name, flavor,
image, network_info, user_data, key_data, metadata) and returns plain data.
"""

from importlib import import_module

# Nova's power states.
NOSTATE = 0
RUNNING = 1
PAUSED = 3
SHUTDOWN = 4
CRASHED = 6
SUSPENDED = 7


class DriverError(Exception):
    """An operation failed on the hypervisor; the message is what the fault will say."""


class ComputeDriver:
    def __init__(self, host):
        self.host = host

    def get_available_resource(self):
        """{vcpus, memory_mb, local_gb, hypervisor_type, hypervisor_version, hypervisor_hostname, cpu_info}."""
        raise NotImplementedError

    def list_instances(self):
        raise NotImplementedError

    def get_info(self, instance):
        """{"power_state": int}."""
        raise NotImplementedError

    def spawn(self, instance, image, network_info, user_data=None, key_data=None, block_device_info=None):
        """Create and start the guest. block_device_info (boot from volume, Nova's shape):
        {"root_device_name": "/dev/vda", "block_device_mapping": [{"boot_index", "mount_device",
        "volume_id", "connection_info": {"driver_volume_type", "data": {"path", "format"}}}]}: the root
        disk is then that volume, not a copy of the image."""
        raise NotImplementedError

    def destroy(self, instance):
        raise NotImplementedError

    def power_off(self, instance):
        raise NotImplementedError

    def power_on(self, instance):
        raise NotImplementedError

    def reboot(self, instance, reboot_type="SOFT"):
        raise NotImplementedError

    def pause(self, instance):
        raise NotImplementedError

    def unpause(self, instance):
        raise NotImplementedError

    def suspend(self, instance):
        raise NotImplementedError

    def resume(self, instance):
        raise NotImplementedError

    def rebuild(self, instance, image):
        raise NotImplementedError

    def migrate_disk_and_power_off(self, instance, dest_host, flavor):
        """Source side of a resize/migration: stop the guest and hand its disk over."""
        raise NotImplementedError

    def finish_migration(self, instance, flavor, power_on=True):
        """Destination side: start the guest with its (new) flavor."""
        raise NotImplementedError

    def finish_revert_migration(self, instance, power_on=True):
        raise NotImplementedError

    def confirm_migration(self, instance):
        """Source side after a confirmed resize: drop what was kept for a revert."""
        raise NotImplementedError

    def snapshot(self, instance):
        """The guest's disk as image bytes."""
        raise NotImplementedError

    def get_console_output(self, instance):
        raise NotImplementedError

    def console_signature(self, instance):
        """Something that changes whenever the guest's console does (the host reports only changed
        consoles). Drivers with a console file answer its size and mtime; this default hashes the text."""
        import hashlib

        return hashlib.sha1(self.get_console_output(instance).encode("utf-8", "replace")).hexdigest()


def root_volume(block_device_info):
    """The boot_index 0 mapping of a boot from volume, or None."""
    for bdm in (block_device_info or {}).get("block_device_mapping") or []:
        if str(bdm.get("boot_index")) == "0":
            return bdm
    return None


DRIVERS = {"fake": "compute.drivers.fake.FakeDriver", "libvirt": "compute.drivers.libvirt.LibvirtDriver"}


def load_driver(name, host):
    path = DRIVERS.get(name, name)
    module, _, cls = path.rpartition(".")
    return getattr(import_module(module), cls)(host)
