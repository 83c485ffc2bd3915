"""The image store driver interface.

A store knows its back end (a directory, an object store) and nothing of HTTP or the ORM. Writes are
two-phase so that a failed or interrupted upload never leaves data behind: `stage` writes the bytes
somewhere invisible, then the service either `commit`s (atomically, the data appears under its key)
or `discard`s.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass


class StoreFull(Exception):
    """The data grew past the byte budget the caller allowed (quota)."""


@dataclass
class StagedData:
    image_id: str
    size: int
    handle: object  # the driver's own reference to the staged bytes (a temp path, an upload id)


class ImageStore(ABC):
    name = "base"

    @abstractmethod
    def stage(self, image_id, chunks, max_size=None):
        """Write the byte chunks somewhere not yet visible; returns StagedData.

        Raises StoreFull (after cleaning up) if more than max_size bytes arrive. Any exception from
        `chunks` propagates after the partial data has been removed.
        """

    @abstractmethod
    def commit(self, staged):
        """Make staged data durable and visible; returns its location string "<name>:<key>"."""

    @abstractmethod
    def discard(self, staged):
        """Forget staged data (idempotent)."""

    @abstractmethod
    def open(self, location):
        """A binary file object reading the data at location (seekable where the back end allows)."""

    @abstractmethod
    def delete(self, location):
        """Remove the data at location; a missing object is not an error."""

    def staged_path(self, staged):
        """A local file path of staged data, for tools such as qemu-img; None if the store has none."""
        return None

    def size(self, location):
        raise NotImplementedError
