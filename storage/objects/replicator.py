"""One replication pass: every replica on every device is pushed to the partition's primaries that
lack it or hold an older version; a handoff's copy is dropped once all primaries hold it.

Push-only, like Swift's rsync replicator: a wiped device is refilled by the devices that still hold
its partitions, and a primary that was down catches up from the handoffs that took its writes.
"""

import logging
import time
from dataclasses import dataclass

from storage.objects import conf, ring as ring_module
from storage.objects.drivers import driver_for

log = logging.getLogger(__name__)


@dataclass
class ReplicationStats:
    checked: int = 0
    copied: int = 0
    removed_handoffs: int = 0
    reclaimed: int = 0
    failures: int = 0


def copy_replica(source, target, part, hash_, meta):
    if meta.get("deleted"):
        target.put_tombstone(part, hash_, meta["timestamp"], {"name": meta.get("name")})
        return
    record = {k: v for k, v in meta.items() if not k.startswith("_") and k not in ("timestamp", "deleted")}
    writer = target.writer(part, hash_, meta["timestamp"])
    try:
        with source.open(part, hash_, meta["timestamp"]) as handle:
            while chunk := handle.read(1024 * 1024):
                writer.write(chunk)
    except BaseException:
        writer.abort()
        raise
    writer.commit(record)


def replicate(ring=None, only=None):
    """One pass over every device's replicas, or only over the devices named in `only` (a machine
    serving some devices runs the pass for its own; the pushes still reach every primary)."""
    ring = ring or ring_module.load()
    reclaim_age = conf.reclaim_age()
    stats = ReplicationStats()
    drivers = {d.id: driver_for(d) for d in ring.devices}
    for device in ring.devices:
        if only and device.name not in only:
            continue
        source = drivers[device.id]
        if not source.available():
            continue
        for part in source.partitions():
            if part >= ring.partitions:
                continue
            primaries = [drivers[d.id] for d in ring.primaries(part)]
            is_primary = any(p.device.id == device.id for p in primaries)
            for hash_ in source.hashes(part):
                meta = source.metadata(part, hash_)
                if meta is None:
                    continue
                stats.checked += 1
                if meta.get("deleted") and time.time() - float(meta["timestamp"]) > reclaim_age:
                    # Long enough for every replica to have heard of the delete: drop the tombstone.
                    source.remove(part, hash_, upto=meta["timestamp"])
                    stats.reclaimed += 1
                    continue
                in_sync = 0
                for target in primaries:
                    if target.device.id == device.id:
                        continue
                    if not target.available():
                        continue
                    theirs = target.metadata(part, hash_)
                    if theirs is not None and theirs["timestamp"] >= meta["timestamp"]:
                        in_sync += 1
                        continue
                    try:
                        copy_replica(source, target, part, hash_, meta)
                        stats.copied += 1
                        in_sync += 1
                    except OSError as error:
                        stats.failures += 1
                        log.warning("replication of %s/%s to %s failed: %s", part, hash_,
                                    target.device.name, error)
                if not is_primary and in_sync == len(primaries):
                    source.remove(part, hash_, upto=meta["timestamp"])
                    stats.removed_handoffs += 1
    log.info("object replication pass: %s", stats)
    return stats
