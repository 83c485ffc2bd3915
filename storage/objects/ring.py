"""The object ring: 2**part_power partitions, each mapped to `replicas` devices in distinct zones.

The ring is a JSON file (`object.ring.json` in the devices directory) so that every process -- web
servers, replicators on other machines -- reads the same placement without a database round trip; it
is built and rebalanced only by `manage.py object_ring`. Each device names its driver (`local`: a
directory standing for a disk) so a device can be served by another machine (see drivers/base.py).
"""

import hashlib
import json
import math
import random
import os
import threading
from dataclasses import dataclass, field

from storage.objects import conf


class RingError(ValueError):
    pass


@dataclass
class Device:
    id: int
    name: str
    zone: int
    weight: float
    path: str
    driver: str = "local"
    status: str = "up"  # "down": skipped for writes and reads, handoffs take its place

    def as_dict(self):
        return dict(self.__dict__)


@dataclass
class Ring:
    part_power: int = conf.PART_POWER
    replicas: int = conf.REPLICAS
    devices: list = field(default_factory=list)
    # assignments[part] = [device id per replica]
    assignments: list = field(default_factory=list)

    @property
    def partitions(self):
        return 2 ** self.part_power

    def device(self, device_id):
        for device in self.devices:
            if device.id == device_id:
                return device
        return None

    def partition(self, hash_hex):
        return int(hash_hex[:8], 16) >> (32 - self.part_power)

    def primaries(self, part):
        if not self.assignments:
            raise RingError("the object ring has no assignments: run `manage.py object_ring rebalance`")
        return [self.device(device_id) for device_id in self.assignments[part]]

    def handoffs(self, part):
        """Other devices in a fixed order per partition, devices in unused zones first."""
        primaries = self.primaries(part)
        used_zones = {d.zone for d in primaries}
        others = [d for d in self.devices if d.id not in {p.id for p in primaries}]
        others.sort(key=lambda d: (d.zone in used_zones,
                                   hashlib.md5(f"{part}-{d.id}".encode()).hexdigest()))
        return others

    # -- building -----------------------------------------------------------------------------
    def add_device(self, name, zone, weight, path, driver="local"):
        if any(d.name == name for d in self.devices):
            raise RingError(f"device {name} already in the ring")
        next_id = max((d.id for d in self.devices), default=-1) + 1
        device = Device(next_id, name, int(zone), float(weight), str(path), driver)
        self.devices.append(device)
        return device

    def remove_device(self, name):
        device = self.find(name)
        self.devices.remove(device)
        return device

    def find(self, name):
        for device in self.devices:
            if device.name == name:
                return device
        raise RingError(f"no device {name} in the ring")

    def rebalance(self):
        """Assign every partition's replicas, moving as few as possible; zones distinct when they can be."""
        devices = [d for d in self.devices if d.weight > 0]
        if len(devices) < 1:
            raise RingError("the ring needs at least one device with weight > 0")
        replicas = min(self.replicas, len(devices))
        total_weight = sum(d.weight for d in devices)
        wanted = {d.id: self.partitions * replicas * d.weight / total_weight for d in devices}
        counts = {d.id: 0 for d in devices}
        by_id = {d.id: d for d in devices}
        zones_available = len({d.zone for d in devices})
        old = self.assignments if len(self.assignments) == self.partitions else [[] for _ in range(self.partitions)]
        new = []
        # First keep what may stay: device still present, zone not repeated.
        for part in range(self.partitions):
            kept = []
            for device_id in old[part][:replicas]:
                device = by_id.get(device_id)
                if device is None or device_id in kept:
                    continue
                if zones_available >= replicas and device.zone in {by_id[k].zone for k in kept}:
                    continue
                kept.append(device_id)
                counts[device_id] += 1
            new.append(kept)
        # Then take replicas off devices above their share, from partitions that have lost none yet,
        # so the partitions to refill are spread and a new device can take one replica of each.
        for device in devices:
            limit = math.ceil(wanted[device.id])
            if counts[device.id] <= limit:
                continue
            order = list(range(self.partitions))
            random.Random(device.id).shuffle(order)
            for whole_only in (True, False):
                for part in order:
                    if counts[device.id] <= limit:
                        break
                    if device.id in new[part] and (not whole_only or len(new[part]) == replicas):
                        new[part].remove(device.id)
                        counts[device.id] -= 1
        # Then fill the gaps with the devices furthest below their share.
        for part in range(self.partitions):
            kept = new[part]
            while len(kept) < replicas:
                used_zones = {by_id[k].zone for k in kept}
                candidates = [d for d in devices if d.id not in kept]
                spread = [d for d in candidates if d.zone not in used_zones]
                pool = spread or candidates
                choice = max(pool, key=lambda d: (wanted[d.id] - counts[d.id], -d.id))
                kept.append(choice.id)
                counts[choice.id] += 1
        self.assignments = new
        return counts

    # -- persistence --------------------------------------------------------------------------
    def as_dict(self):
        return {"part_power": self.part_power, "replicas": self.replicas,
                "devices": [d.as_dict() for d in self.devices], "assignments": self.assignments}

    @classmethod
    def from_dict(cls, data):
        return cls(part_power=data["part_power"], replicas=data["replicas"],
                   devices=[Device(**d) for d in data["devices"]], assignments=data["assignments"])

    def save(self, path=None):
        path = path or conf.ring_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.as_dict()))
        os.replace(tmp, path)
        _cache.clear()


_cache = {}
_lock = threading.Lock()


def load(path=None):
    """The ring on disk, re-read when the file changes (a rebalance takes effect without restarts)."""
    path = path or conf.ring_path()
    try:
        mtime = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        raise RingError(f"no object ring at {path}: run `manage.py bootstrap` or `manage.py object_ring`")
    key = str(path)
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == mtime:
            return cached[1]
        ring = Ring.from_dict(json.loads(path.read_text()))
        _cache[key] = (mtime, ring)
        return ring


def object_hash(account, container, name):
    return hashlib.md5(f"/{account}/{container}/{name}".encode()).hexdigest()
