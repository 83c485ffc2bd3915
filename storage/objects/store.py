"""The proxy to the replicated store: quorum writes, newest-wins reads with hash checks, tombstones.

Knows the ring and the device drivers, nothing of HTTP or the database.
"""

import hashlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from storage.objects import conf, ring as ring_module
from storage.objects.drivers import driver_for

log = logging.getLogger(__name__)

# Commits (fsync + rename) of the replicas of one write run side by side.
_commit_pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="object-commit")
# Objects up to this size are read whole and checked before a byte is sent, so a corrupt replica is
# skipped for a good one; larger objects are checked while streaming (a mismatch quarantines the
# replica and cuts the response, and the auditor finds it before anyone else reads it).
VERIFY_BEFORE_SEND = 4 * 1024 * 1024


class InsufficientStorage(Exception):
    """Fewer than a quorum of replicas could be written."""


class BodyTooShort(Exception):
    pass


class EtagMismatch(Exception):
    pass


def new_timestamp():
    return f"{time.time():016.5f}"


def quorum(replicas):
    return replicas // 2 + 1


def _nodes(ring, part, with_handoffs=True):
    primaries = ring.primaries(part)
    return primaries, (ring.handoffs(part) if with_handoffs else [])


def _write_targets(ring, part):
    """Up to `replicas` writable drivers: the available primaries, a handoff for each missing one."""
    primaries, handoffs = _nodes(ring, part)
    targets = [driver_for(d) for d in primaries]
    chosen = [t for t in targets if t.available()]
    missing = len(primaries) - len(chosen)
    for device in handoffs:
        if missing <= 0:
            break
        driver = driver_for(device)
        if driver.available():
            chosen.append(driver)
            missing -= 1
    return chosen


def put(account, container, name, chunks, metadata, timestamp=None, expected_size=None, expected_etag=None):
    """Write the object from an iterable of byte chunks to every replica; succeed on a quorum.

    Returns (etag, size, timestamp, replicas written)."""
    ring = ring_module.load()
    hash_ = ring_module.object_hash(account, container, name)
    part = ring.partition(hash_)
    timestamp = timestamp or new_timestamp()
    def open_writer(driver):
        try:
            return driver, driver.writer(part, hash_, timestamp)
        except OSError as error:
            log.warning("object write: %s unavailable: %s", driver.device.name, error)
            return None

    # Creating files costs a journal round trip each: open the replicas side by side.
    writers = [pair for pair in _commit_pool.map(open_writer, _write_targets(ring, part)) if pair]
    needed = quorum(ring.replicas)
    if len(writers) < needed:
        for _driver, writer in writers:
            writer.abort()
        raise InsufficientStorage(f"only {len(writers)} devices writable, {needed} needed")
    md5 = hashlib.md5()
    size = 0
    try:
        for chunk in chunks:
            if not chunk:
                continue
            md5.update(chunk)
            size += len(chunk)
            alive = []
            for driver, writer in writers:
                try:
                    writer.write(chunk)
                    alive.append((driver, writer))
                except OSError as error:
                    log.warning("object write to %s failed: %s", driver.device.name, error)
                    writer.abort()
            writers = alive
            if len(writers) < needed:
                raise InsufficientStorage("too many replicas failed during the write")
        if expected_size is not None and size != expected_size:
            raise BodyTooShort(f"expected {expected_size} bytes, got {size}")
        if expected_etag and expected_etag != md5.hexdigest():
            raise EtagMismatch(md5.hexdigest())
    except BaseException:
        for _driver, writer in writers:
            writer.abort()
        raise
    etag = md5.hexdigest()
    record = {**metadata, "name": f"/{account}/{container}/{name}", "etag": etag, "size": size}
    return etag, size, timestamp, _commit(writers, record, needed)


def _commit(writers, record, needed):
    def commit(pair):
        driver, writer = pair
        try:
            writer.commit(record)
            return driver.device.name
        except OSError as error:
            log.warning("object commit on %s failed: %s", driver.device.name, error)
            return None

    if len(writers) == 1:
        done = [commit(writers[0])]
    else:
        done = list(_commit_pool.map(commit, writers))
    written = [name for name in done if name]
    if len(written) < needed:
        raise InsufficientStorage(f"only {len(written)} replicas committed, {needed} needed")
    return written


def delete(account, container, name, timestamp=None):
    """Tombstones on every replica (so a stale replica cannot come back); quorum needed."""
    ring = ring_module.load()
    hash_ = ring_module.object_hash(account, container, name)
    part = ring.partition(hash_)
    timestamp = timestamp or new_timestamp()
    meta = {"name": f"/{account}/{container}/{name}"}

    def tombstone(driver):
        try:
            driver.put_tombstone(part, hash_, timestamp, meta)
            return True
        except OSError as error:
            log.warning("tombstone on %s failed: %s", driver.device.name, error)
            return False

    targets = _write_targets(ring, part)
    done = sum(_commit_pool.map(tombstone, targets))
    if done < quorum(ring.replicas):
        raise InsufficientStorage(f"only {done} tombstones written")
    return timestamp


def _candidates(account, container, name, want_timestamp=None):
    """Replicas' metadata, newest first. Handoffs are asked only when the primaries do not all answer
    or none holds `want_timestamp` (the version the container listing says is current)."""
    ring = ring_module.load()
    hash_ = ring_module.object_hash(account, container, name)
    part = ring.partition(hash_)
    primaries, handoffs = _nodes(ring, part)
    found = []
    answered = 0
    for device in primaries:
        driver = driver_for(device)
        meta = driver.metadata(part, hash_)
        if meta is not None:
            found.append((meta, driver))
            answered += 1
    newest = max((meta["timestamp"] for meta, _ in found), default=None)
    complete = answered == len(primaries) and (want_timestamp is None or (newest and newest >= want_timestamp))
    if not complete:
        for device in handoffs:
            driver = driver_for(device)
            meta = driver.metadata(part, hash_)
            if meta is not None:
                found.append((meta, driver))
    # Newest first; primaries before handoffs among equals (stable sort).
    found.sort(key=lambda pair: pair[0]["timestamp"], reverse=True)
    return part, hash_, found


def head(account, container, name):
    """The newest replica's metadata, or None when missing or deleted."""
    _part, _hash, found = _candidates(account, container, name)
    if not found or found[0][0].get("deleted"):
        return None
    return found[0][0]


def get(account, container, name, start=0, end=None, chunk_size=conf.CHUNK_SIZE, want_timestamp=None):
    """(metadata, iterator of bytes[start:end]) from a good replica of the newest version, or None."""
    part, hash_, found = _candidates(account, container, name, want_timestamp)
    if not found or found[0][0].get("deleted"):
        return None
    newest = found[0][0]["timestamp"]
    for meta, driver in found:
        if meta["timestamp"] != newest:
            break
        if meta.get("_disk_size") != meta.get("size"):
            log.warning("replica of %s on %s has the wrong size: quarantined", meta["name"], driver.device.name)
            driver.quarantine(part, hash_)
            continue
        whole = start == 0 and (end is None or end >= meta["size"])
        if meta["size"] <= VERIFY_BEFORE_SEND:
            try:
                with driver.open(part, hash_, meta["timestamp"]) as handle:
                    data = handle.read()
            except OSError:
                continue
            if hashlib.md5(data).hexdigest() != meta["etag"]:
                log.warning("replica of %s on %s fails its hash: quarantined", meta["name"], driver.device.name)
                driver.quarantine(part, hash_)
                continue
            return meta, iter([data[start:end]])
        try:
            handle = driver.open(part, hash_, meta["timestamp"])
        except OSError:
            continue
        return meta, _stream(handle, meta, start, end, chunk_size, driver, part, hash_, whole)
    return None


def _stream(handle, meta, start, end, chunk_size, driver, part, hash_, verify):
    md5 = hashlib.md5() if verify else None
    with handle:
        handle.seek(start)
        remaining = (end if end is not None else meta["size"]) - start
        while remaining > 0:
            chunk = handle.read(min(chunk_size, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            if md5:
                md5.update(chunk)
            if md5 and remaining == 0 and md5.hexdigest() != meta["etag"]:
                driver.quarantine(part, hash_)
                raise IOError(f"replica of {meta['name']} on {driver.device.name} fails its hash")
            yield chunk
