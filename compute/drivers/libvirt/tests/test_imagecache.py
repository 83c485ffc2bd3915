import hashlib
import os
import time

import pytest

from compute.drivers.base import DriverError
from compute.drivers.libvirt.imagecache import FileSource, ImageCache


class CountingSource(FileSource):
    def __init__(self, directory):
        super().__init__(directory)
        self.downloads = 0

    def chunks(self, image_id):
        self.downloads += 1
        yield from super().chunks(image_id)


@pytest.fixture
def store(tmp_path):
    directory = tmp_path / "store"
    directory.mkdir()
    (directory / "img-a").write_bytes(b"A" * 5000)
    (directory / "img-b").write_bytes(b"B" * 10)
    return directory


def test_an_image_is_fetched_once_and_verified(tmp_path, store):
    source = CountingSource(store)
    cache = ImageCache(tmp_path / "cache", source)
    checksum = hashlib.md5(b"A" * 5000, usedforsecurity=False).hexdigest()
    first = cache.fetch("img-a", checksum)
    second = cache.fetch("img-a", checksum)
    assert first == second and first.read_bytes() == b"A" * 5000
    assert source.downloads == 1


def test_a_wrong_checksum_leaves_nothing_in_the_cache(tmp_path, store):
    cache = ImageCache(tmp_path / "cache", FileSource(store))
    with pytest.raises(DriverError, match="checksum"):
        cache.fetch("img-a", "0" * 32)
    assert cache.cached() == [] and list((tmp_path / "cache").glob(".*.part")) == []


def test_unknown_image_and_bad_ids_fail(tmp_path, store):
    cache = ImageCache(tmp_path / "cache", FileSource(store))
    with pytest.raises(DriverError, match="no data"):
        cache.fetch("img-zzz")
    with pytest.raises(DriverError, match="bad image id"):
        cache.fetch("../etc")


def test_prune_keeps_images_in_use_and_recent_ones(tmp_path, store):
    cache = ImageCache(tmp_path / "cache", FileSource(store))
    a, b = cache.fetch("img-a"), cache.fetch("img-b")
    assert cache.prune(in_use=set(), min_age_seconds=3600) == []
    old = time.time() - 7200
    os.utime(a, (old, old))
    os.utime(b, (old, old))
    assert cache.prune(in_use={"img-b"}, min_age_seconds=3600) == ["img-a"]
    assert not a.exists() and b.exists()
