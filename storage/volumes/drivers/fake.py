"""A back end with no data at all, for scale tests and benchmarks: volumes are entries in a dict.

`fake:SIZE_GB` sets the capacity it reports (default 100000 GB). Data read from a fake volume is
zeros of its size; data written to one is dropped. NEBULA_FAKE_VOLUME_DELAY makes every operation take
that many seconds, NEBULA_FAKE_VOLUME_FAIL lists operations that fail."""

import os
import threading
import time

from storage.volumes.drivers.base import VolumeDriver, VolumeDriverError

_lock = threading.Lock()
_volumes = {}  # (backend, volume id) -> size


class FakeDriver(VolumeDriver):
    driver_name = "fake"
    storage_protocol = "fake"

    def __init__(self, backend_name, options=()):
        super().__init__(backend_name, options)
        self.capacity = float(self.options[0]) if self.options and self.options[0] else 100000.0
        self.fail = set(filter(None, os.environ.get("NEBULA_FAKE_VOLUME_FAIL", "").split(",")))
        self.delay = float(os.environ.get("NEBULA_FAKE_VOLUME_DELAY", "0") or 0)

    def _check(self, operation):
        if self.delay:
            time.sleep(self.delay)
        if operation in self.fail:
            raise VolumeDriverError(f"fake back end told to fail {operation}")

    def get_stats(self):
        with _lock:
            used = sum(size for (backend, _), size in _volumes.items() if backend == self.backend_name)
        return {"pools": [{"pool_name": self.backend_name, "total_capacity_gb": self.capacity,
                           "free_capacity_gb": self.capacity - used, "reserved_percentage": 0,
                           "thin_provisioning_support": True}],
                "capabilities": self.capabilities()}

    def _add(self, volume):
        self._check("create_volume")
        with _lock:
            _volumes[(self.backend_name, volume["id"])] = int(volume["size"])
        return {"provider_location": f"fake:{volume['id']}"}

    def create_volume(self, volume):
        return self._add(volume)

    def create_volume_from_image(self, volume, image_path, image_format):
        return self._add(volume)

    def create_volume_from_snapshot(self, volume, snapshot, source_volume):
        return self._add(volume)

    def create_cloned_volume(self, volume, source_volume):
        return self._add(volume)

    def delete_volume(self, volume):
        self._check("delete_volume")
        with _lock:
            _volumes.pop((self.backend_name, volume["id"]), None)

    def extend_volume(self, volume, new_size):
        self._check("extend_volume")
        with _lock:
            _volumes[(self.backend_name, volume["id"])] = int(new_size)

    def create_snapshot(self, snapshot, volume):
        self._check("create_snapshot")
        return {"provider_location": f"fake-snapshot:{snapshot['id']}"}

    def delete_snapshot(self, snapshot, volume):
        self._check("delete_snapshot")

    def initialize_connection(self, volume, connector):
        return {"driver_volume_type": "fake", "data": {"volume_id": volume["id"], "access_mode": "rw"}}

    def export_raw(self, volume, path, snapshot=None):
        with open(path, "wb") as handle:
            handle.truncate(int(volume["size"]) * 1024 ** 3)

    def import_raw(self, path, volume):
        return None
