"""The default image store: one file per image in a directory, written atomically.

Data goes to a hidden temp file in the same directory, is fsync'ed, then renamed into place and the
directory fsync'ed: a crash leaves either no file or the whole file, never half of one.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings

from storage.images.stores.base import ImageStore, StagedData, StoreFull

TEMP_PREFIX = ".staging-"


class FilesystemStore(ImageStore):
    name = "file"

    def __init__(self, directory=None):
        self._directory = Path(directory) if directory else None

    @property
    def directory(self):
        # Read lazily so tests and processes that change settings.IMAGE_STORE_DIR are honoured.
        directory = self._directory or Path(settings.IMAGE_STORE_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        return directory

    def _path(self, key):
        if not key or "/" in key or key.startswith("."):
            raise ValueError(f"bad image store key {key!r}")
        return self.directory / key

    def stage(self, image_id, chunks, max_size=None):
        temp = self.directory / f"{TEMP_PREFIX}{image_id}-{secrets.token_hex(4)}"
        size = 0
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        try:
            with os.fdopen(fd, "wb", buffering=0) as handle:
                for chunk in chunks:
                    size += len(chunk)
                    if max_size is not None and size > max_size:
                        raise StoreFull(f"image data exceeds {max_size} bytes")
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return StagedData(image_id=image_id, size=size, handle=temp)

    def commit(self, staged):
        final = self._path(staged.image_id)
        os.replace(staged.handle, final)
        dir_fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return f"{self.name}:{final.name}"

    def discard(self, staged):
        Path(staged.handle).unlink(missing_ok=True)

    def staged_path(self, staged):
        return str(staged.handle)

    def path(self, location):
        _name, _, key = location.partition(":")
        return self._path(key)

    def open(self, location):
        return open(self.path(location), "rb")

    def size(self, location):
        return self.path(location).stat().st_size

    def delete(self, location):
        self.path(location).unlink(missing_ok=True)

    def orphans(self):
        """Leftover staging files (from a process killed mid-upload)."""
        return sorted(self.directory.glob(f"{TEMP_PREFIX}*"))
