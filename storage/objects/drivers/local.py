"""A ring device that is a local directory standing for a disk.

Layout: <dev>/objects/<part>/<hash>/<timestamp>.data carrying its metadata (JSON) in the extended
attribute `user.nebula.meta`, or <timestamp>.ts (a tombstone, JSON). Writes go to <dev>/tmp, get their
metadata and an fsync, then one rename makes the replica visible whole. On a file system without
user xattrs the metadata goes to a <timestamp>.meta sidecar instead, renamed after the data, so a
replica counts only once both are there. Older files of the same object are removed after a newer
one lands (newest timestamp wins).
"""

import json
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from storage.objects.drivers.base import DeviceDriver, DeviceUnavailable

XATTR = "user.nebula.meta"
SYNC_EVERY = 8 * 1024 * 1024
_sync_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="object-sync")


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalWriter:
    def __init__(self, driver, part, hash_, timestamp):
        self.driver = driver
        self.final_dir = driver.root / "objects" / str(part) / hash_
        self.timestamp = timestamp
        tmp_dir = driver.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        self.tmp_path = tmp_dir / f"{uuid.uuid4().hex}.data"
        self.handle = open(self.tmp_path, "wb")
        self.unsynced = 0
        self.pending_sync = None

    def write(self, chunk):
        self.handle.write(chunk)
        self.unsynced += len(chunk)
        if self.unsynced >= SYNC_EVERY and (self.pending_sync is None or self.pending_sync.done()):
            # Start the disk writing while the rest still arrives (as Swift's mb_per_sync), in the
            # background so the upload does not wait; commit's fsync then has little left to do.
            self.handle.flush()
            self.unsynced = 0
            self.pending_sync = _sync_pool.submit(os.fdatasync, self.handle.fileno())

    def commit(self, metadata):
        meta_tmp = None
        try:
            payload = json.dumps({**metadata, "timestamp": self.timestamp, "deleted": False}).encode()
            self.handle.flush()
            if self.pending_sync is not None:
                self.pending_sync.result()
            try:
                os.setxattr(self.handle.fileno(), XATTR, payload)
            except OSError:
                meta_tmp = self.tmp_path.with_suffix(".meta")
            os.fsync(self.handle.fileno())
            self.handle.close()
            if meta_tmp is not None:
                with open(meta_tmp, "wb") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
            self.final_dir.mkdir(parents=True, exist_ok=True)
            os.replace(self.tmp_path, self.final_dir / f"{self.timestamp}.data")
            if meta_tmp is not None:
                os.replace(meta_tmp, self.final_dir / f"{self.timestamp}.meta")
            _fsync_dir(self.final_dir)
        except BaseException:
            self.abort()
            raise
        self.driver.cleanup(self.final_dir)

    def abort(self):
        try:
            if self.pending_sync is not None:
                self.pending_sync.result()
        except OSError:
            pass
        try:
            self.handle.close()
        except OSError:
            pass
        for path in (self.tmp_path, self.tmp_path.with_suffix(".meta")):
            try:
                path.unlink()
            except OSError:
                pass


class LocalDeviceDriver(DeviceDriver):
    def __init__(self, device):
        super().__init__(device)
        self.root = Path(device.path)

    def available(self):
        return self.device.status == "up" and self.root.is_dir() and os.access(self.root, os.W_OK | os.X_OK)

    def _check(self):
        if not self.available():
            raise DeviceUnavailable(f"device {self.device.name} is unavailable")

    def _dir(self, part, hash_):
        return self.root / "objects" / str(part) / hash_

    def writer(self, part, hash_, timestamp):
        self._check()
        return LocalWriter(self, part, hash_, timestamp)

    def put_tombstone(self, part, hash_, timestamp, metadata):
        self._check()
        final_dir = self._dir(part, hash_)
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = tmp_dir / f"{uuid.uuid4().hex}.ts"
        with open(tmp, "w") as handle:
            json.dump({**metadata, "timestamp": timestamp, "deleted": True}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        final_dir.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final_dir / f"{timestamp}.ts")
        _fsync_dir(final_dir)
        self.cleanup(final_dir)

    @staticmethod
    def _newest(directory):
        """(file name, metadata) of the newest complete replica or tombstone in the directory."""
        try:
            names = set(os.listdir(directory))
        except (FileNotFoundError, NotADirectoryError):
            return None, None
        for name in sorted(names, reverse=True):
            stem, _, suffix = name.rpartition(".")
            try:
                if suffix == "ts":
                    with open(directory / name, "rb") as handle:
                        return name, json.loads(handle.read())
                if suffix == "data":
                    try:
                        return name, json.loads(os.getxattr(directory / name, XATTR))
                    except OSError:
                        if f"{stem}.meta" not in names:
                            continue  # a sidecar replica still being written
                        with open(directory / f"{stem}.meta", "rb") as handle:
                            return name, json.loads(handle.read())
            except (OSError, ValueError):
                continue
        return None, None

    def cleanup(self, directory):
        newest, _meta = self._newest(directory)
        if newest is None:
            return
        timestamp = newest.rsplit(".", 1)[0]
        for name in os.listdir(directory):
            if name.rsplit(".", 1)[0] < timestamp:
                try:
                    os.unlink(directory / name)
                except OSError:
                    pass

    def metadata(self, part, hash_):
        if not self.available():
            return None
        directory = self._dir(part, hash_)
        name, meta = self._newest(directory)
        if meta is None:
            return None
        if not meta.get("deleted"):
            try:
                meta["_disk_size"] = os.path.getsize(directory / name)
            except OSError:
                return None
        return meta

    def open(self, part, hash_, timestamp):
        self._check()
        return open(self._dir(part, hash_) / f"{timestamp}.data", "rb")

    def partitions(self):
        try:
            return sorted(int(n) for n in os.listdir(self.root / "objects") if n.isdigit())
        except OSError:
            return []

    def hashes(self, part):
        try:
            return sorted(os.listdir(self.root / "objects" / str(part)))
        except OSError:
            return []

    def quarantine(self, part, hash_):
        directory = self._dir(part, hash_)
        target = self.root / "quarantined" / "objects" / f"{hash_}-{uuid.uuid4().hex[:8]}"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(directory, target)
        except OSError:
            return None
        return target

    def remove(self, part, hash_, upto=None):
        directory = self._dir(part, hash_)
        if upto is None:
            shutil.rmtree(directory, ignore_errors=True)
            return
        # Only what the caller saw: a newer replica that landed meanwhile stays.
        try:
            names = os.listdir(directory)
        except OSError:
            return
        for name in names:
            if name.rsplit(".", 1)[0] <= upto:
                try:
                    os.unlink(directory / name)
                except OSError:
                    pass
        try:
            os.rmdir(directory)
        except OSError:
            pass
