"""One audit pass: re-hash every replica's data and quarantine those that no longer match their
recorded ETag or size; the next replication pass then copies a good replica back."""

import hashlib
import logging
from dataclasses import dataclass

from storage.objects import ring as ring_module
from storage.objects.drivers import driver_for

log = logging.getLogger(__name__)


@dataclass
class AuditStats:
    checked: int = 0
    quarantined: int = 0


def audit(ring=None, only=None):
    ring = ring or ring_module.load()
    stats = AuditStats()
    for device in ring.devices:
        if only and device.name not in only:
            continue
        driver = driver_for(device)
        if not driver.available():
            continue
        for part in driver.partitions():
            for hash_ in driver.hashes(part):
                meta = driver.metadata(part, hash_)
                if meta is None or meta.get("deleted"):
                    continue
                stats.checked += 1
                md5 = hashlib.md5()
                size = 0
                try:
                    with driver.open(part, hash_, meta["timestamp"]) as handle:
                        while chunk := handle.read(1024 * 1024):
                            md5.update(chunk)
                            size += len(chunk)
                except OSError:
                    continue
                if md5.hexdigest() != meta.get("etag") or size != meta.get("size"):
                    log.warning("audit: %s on %s is corrupt: quarantined", meta.get("name"), device.name)
                    driver.quarantine(part, hash_)
                    stats.quarantined += 1
    log.info("object audit pass: %s", stats)
    return stats
