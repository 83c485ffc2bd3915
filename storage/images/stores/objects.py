"""Image data in Nebula's own object store (storage.objects, Swift v1), one object per image in the
container `images` of the account `glance`.

Object stores have no rename: staged data is written under its final name and becomes part of an image
only when the service records its location (commit); a discarded upload deletes the object.
"""

import io

from core.context import RequestContext
from core.exceptions import NotFound
from storage.images.stores.base import ImageStore, StagedData, StoreFull

ACCOUNT = "glance"
CONTAINER = "images"


def _limited(chunks, max_size):
    seen = 0
    for chunk in chunks:
        seen += len(chunk)
        if max_size is not None and seen > max_size:
            raise StoreFull(f"image data exceeds {max_size} bytes")
        yield chunk


class ObjectReader(io.RawIOBase):
    """A seekable, read-only file over an object (each seek re-opens the object at that offset)."""

    def __init__(self, opener, size):
        super().__init__()
        self._opener, self._size = opener, size
        self._position, self._chunks, self._pending = 0, None, b""

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._position

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(base + offset, 0)
        self._chunks, self._pending = None, b""
        return self._position

    def readinto(self, buffer):
        if self._position >= self._size:
            return 0
        if not self._pending:
            if self._chunks is None:
                self._chunks = iter(self._opener(self._position, None))
            self._pending = next(self._chunks, b"")
            if not self._pending:
                return 0
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        self._position += count
        return count


class ObjectStore(ImageStore):
    name = "objects"

    def __init__(self):
        self.ctx = RequestContext.internal()

    @staticmethod
    def _services():
        from storage.objects import services

        return services

    def stage(self, image_id, chunks, max_size=None):
        services = self._services()
        services.ensure_container(self.ctx, ACCOUNT, CONTAINER)
        try:
            info = services.put_object(self.ctx, ACCOUNT, CONTAINER, image_id, _limited(chunks, max_size),
                                       content_type="application/octet-stream")
        except BaseException:
            self._delete(image_id)
            raise
        return StagedData(image_id=image_id, size=info.size, handle=image_id)

    def commit(self, staged):
        return f"{self.name}:{staged.handle}"

    def discard(self, staged):
        self._delete(staged.handle)

    def _delete(self, key):
        try:
            self._services().delete_object(self.ctx, ACCOUNT, CONTAINER, key)
        except NotFound:
            pass

    @staticmethod
    def _key(location):
        return location.partition(":")[2]

    def open(self, location):
        try:
            info, opener = self._services().open_object(self.ctx, ACCOUNT, CONTAINER, self._key(location))
        except NotFound:
            raise FileNotFoundError(location) from None
        return io.BufferedReader(ObjectReader(opener, info.size), buffer_size=1024 * 1024)

    def size(self, location):
        return self._services().head_object(self.ctx, ACCOUNT, CONTAINER, self._key(location)).size

    def delete(self, location):
        self._delete(self._key(location))
