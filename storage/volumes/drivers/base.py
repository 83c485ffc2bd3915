"""The volume driver interface: what a back end worker asks of its storage.

A driver knows its storage and nothing of the ORM or HTTP. Volumes and snapshots reach it as plain
dicts ({"id", "size", "provider_location", ...}); what it returns (a `provider_location`, stats) is
recorded by the service layer. A new back end (LVM: logical volumes + an iSCSI target; Ceph RBD:
rbd images, snapshots and clones with `driver_volume_type: "rbd"` connection info; an iSCSI array)
implements the same methods:

- `get_stats()`: capacity and capabilities, reported every few seconds (the scheduler's input);
- `create_volume`, `create_volume_from_image`, `create_volume_from_snapshot`, `create_cloned_volume`,
  `delete_volume`, `extend_volume`, `create_snapshot`, `delete_snapshot`: data-path operations run by
  the back end worker;
- `initialize_connection(volume, connector)` / `terminate_connection`: the connection info the compute
  host's driver attaches (`{"driver_volume_type": ..., "data": {...}}`); an exporting back end would
  create its export/ACL here;
- `export_raw(volume, path, snapshot=None)` / `import_raw(path, volume)`: the volume's guest-visible
  bytes to and from a local raw file, for backups and image uploads.
"""

import importlib


class VolumeDriverError(Exception):
    pass


class VolumeDriver:
    driver_name = "base"
    vendor_name = "Nebula"
    storage_protocol = "none"
    driver_version = "1.0"

    def __init__(self, backend_name, options=()):
        self.backend_name = backend_name
        self.options = list(options)

    def get_stats(self):
        raise NotImplementedError

    def capabilities(self):
        return {"volume_backend_name": self.backend_name, "vendor_name": self.vendor_name,
                "storage_protocol": self.storage_protocol, "driver_version": self.driver_version,
                "driver": self.driver_name}

    def create_volume(self, volume):
        raise NotImplementedError

    def create_volume_from_image(self, volume, image_path, image_format):
        raise NotImplementedError

    def create_volume_from_snapshot(self, volume, snapshot, source_volume):
        raise NotImplementedError

    def create_cloned_volume(self, volume, source_volume):
        raise NotImplementedError

    def delete_volume(self, volume):
        raise NotImplementedError

    def extend_volume(self, volume, new_size):
        raise NotImplementedError

    def create_snapshot(self, snapshot, volume):
        raise NotImplementedError

    def delete_snapshot(self, snapshot, volume):
        raise NotImplementedError

    def initialize_connection(self, volume, connector):
        raise NotImplementedError

    def terminate_connection(self, volume, connector):
        return None

    def export_raw(self, volume, path, snapshot=None):
        raise NotImplementedError

    def import_raw(self, path, volume):
        raise NotImplementedError


DRIVERS = {"file": "storage.volumes.drivers.file.FileDriver", "fake": "storage.volumes.drivers.fake.FakeDriver"}


def load_driver(driver, backend_name, options=()):
    """A driver by short name (file, fake) or dotted class path."""
    path = DRIVERS.get(driver, driver)
    module_name, _, class_name = path.rpartition(".")
    if not module_name:
        raise VolumeDriverError(f"unknown volume driver {driver!r}")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise VolumeDriverError(f"unknown volume driver {driver!r}: {exc}") from exc
    return cls(backend_name, options)
