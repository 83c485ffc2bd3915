"""The per-host image cache: each base image fetched once from the image service, checksummed, shared by
every instance disk of the host as the backing file of their qcow2 overlays, pruned when unused.

A compute host has no database. It reads image data one of two ways (NEBULA_LIBVIRT_IMAGE_SOURCE):

* ``api``: over the Image API v2 (GET /v2/images/{id} then /file) with a token it gets from Keystone for
  the credentials in settings (LIBVIRT_IMAGE_API_*), like Nova's [glance] section. The image record gives
  the checksum to verify.
* ``file``: straight from the filesystem image store directory (Glance's direct "file" location, for hosts
  on the machine that runs the image service). The checksum travels in the message for the root image.
"""

import fcntl
import hashlib
import json
import logging
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

from compute.drivers.base import DriverError

log = logging.getLogger("nebula.compute.libvirt")
CHUNK = 1024 * 1024


class ApiSource:
    def __init__(self, auth_url, image_url, username, password, project, domain="Default", timeout=60):
        self.auth_url, self.image_url = auth_url.rstrip("/"), image_url.rstrip("/")
        self.username, self.password, self.project, self.domain = username, password, project, domain
        self.timeout = timeout
        self._token, self._expires = None, 0.0

    def _token_value(self):
        if self._token and time.monotonic() < self._expires:
            return self._token
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": self.username, "domain": {"name": self.domain}, "password": self.password}}},
            "scope": {"project": {"name": self.project, "domain": {"name": self.domain}}}}}
        request = urllib.request.Request(f"{self.auth_url}/v3/auth/tokens", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                self._token = response.headers["X-Subject-Token"]
        except urllib.error.URLError as error:
            raise DriverError(f"cannot authenticate to the image service: {error}") from error
        self._expires = time.monotonic() + 300
        return self._token

    def _open(self, path):
        request = urllib.request.Request(f"{self.image_url}{path}", headers={"X-Auth-Token": self._token_value()})
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            raise DriverError(f"image service answered {error.code} for {path}") from error
        except urllib.error.URLError as error:
            raise DriverError(f"image service unreachable: {error}") from error

    def checksum(self, image_id):
        with self._open(f"/v2/images/{image_id}") as response:
            return json.load(response).get("checksum")

    def chunks(self, image_id):
        with self._open(f"/v2/images/{image_id}/file") as response:
            while chunk := response.read(CHUNK):
                yield chunk


class FileSource:
    def __init__(self, directory):
        self.directory = Path(directory)

    def checksum(self, image_id):
        return None  # only what the message carries

    def chunks(self, image_id):
        path = self.directory / image_id
        if "/" in image_id or not path.is_file():
            raise DriverError(f"image {image_id} has no data in the image store {self.directory}")
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk


class ImageCache:
    def __init__(self, directory, source):
        self.directory = Path(directory)
        self.source = source

    def path(self, image_id):
        if not image_id or "/" in image_id or image_id.startswith("."):
            raise DriverError(f"bad image id {image_id!r}")
        return self.directory / image_id

    def fetch(self, image_id, checksum=None):
        """The cached file of an image, downloaded and verified the first time; one download per image even
        when several builds ask at once (a lock file per image)."""
        target = self.path(image_id)
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o755)
        if target.exists():
            os.utime(target)  # last use, for pruning
            return target
        with open(self.directory / f".{image_id}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if target.exists():
                return target
            expected = checksum or self.source.checksum(image_id)
            partial = self.directory / f".{image_id}.part"
            digest = hashlib.md5(usedforsecurity=False)
            try:
                with open(partial, "wb") as handle:
                    for chunk in self.source.chunks(image_id):
                        digest.update(chunk)
                        handle.write(chunk)
                if expected and digest.hexdigest() != expected:
                    raise DriverError(f"image {image_id} failed its checksum: got {digest.hexdigest()}, "
                                      f"expected {expected}")
                os.chmod(partial, 0o644)
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)
            log.info("image %s cached at %s", image_id, target)
        return target

    def cached(self):
        if not self.directory.exists():
            return []
        return [p for p in self.directory.iterdir() if not p.name.startswith(".")]

    def prune(self, in_use, min_age_seconds):
        """Remove bases no instance disk uses and nobody used for min_age_seconds; returns the removed ids."""
        removed = []
        now = time.time()
        for path in self.cached():
            if path.name in in_use or now - path.stat().st_mtime < min_age_seconds:
                continue
            path.unlink(missing_ok=True)
            (self.directory / f".{path.name}.lock").unlink(missing_ok=True)
            removed.append(path.name)
        if removed:
            log.info("image cache pruned: %s", ", ".join(removed))
        return removed
