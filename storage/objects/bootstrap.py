"""First-run state of the object store: a ring of 4 local devices in 4 zones (3 replicas), unless a
ring exists already (then it is left alone: the operator owns it via `manage.py object_ring`)."""

from storage.objects import conf
from storage.objects.ring import Ring

DEFAULT_DEVICES = 4


def run(ctx, result):
    path = conf.ring_path()
    if path.exists():
        return
    root = conf.devices_dir()
    ring = Ring()
    for index in range(DEFAULT_DEVICES):
        device_path = root / f"d{index}"
        device_path.mkdir(parents=True, exist_ok=True)
        ring.add_device(f"d{index}", zone=index + 1, weight=100, path=device_path)
    ring.rebalance()
    ring.save(path)
