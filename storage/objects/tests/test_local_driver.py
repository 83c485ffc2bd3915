import os

import pytest

from storage.objects.drivers.base import DeviceUnavailable
from storage.objects.drivers.local import LocalDeviceDriver
from storage.objects.ring import Device


@pytest.fixture
def driver(tmp_path):
    (tmp_path / "d0").mkdir()
    return LocalDeviceDriver(Device(0, "d0", 1, 100, str(tmp_path / "d0")))


def test_write_is_invisible_until_commit(driver):
    writer = driver.writer(3, "abc", "0000000001.00000")
    writer.write(b"hello")
    assert driver.metadata(3, "abc") is None
    writer.commit({"etag": "e", "size": 5})
    meta = driver.metadata(3, "abc")
    assert meta["timestamp"] == "0000000001.00000" and meta["_disk_size"] == 5 and not meta["deleted"]
    with driver.open(3, "abc", meta["timestamp"]) as handle:
        assert handle.read() == b"hello"
    assert os.listdir(driver.root / "tmp") == []


def test_abort_leaves_nothing(driver):
    writer = driver.writer(3, "abc", "0000000001.00000")
    writer.write(b"partial")
    writer.abort()
    assert driver.metadata(3, "abc") is None and os.listdir(driver.root / "tmp") == []


def test_newer_replaces_older_and_tombstone_wins(driver):
    for ts, data in (("0000000001.00000", b"one"), ("0000000002.00000", b"two")):
        writer = driver.writer(1, "h", ts)
        writer.write(data)
        writer.commit({"etag": "x", "size": len(data)})
    assert driver.metadata(1, "h")["timestamp"] == "0000000002.00000"
    assert sorted(os.listdir(driver.root / "objects" / "1" / "h")) == ["0000000002.00000.data"]
    driver.put_tombstone(1, "h", "0000000003.00000", {"name": "/a/c/o"})
    assert driver.metadata(1, "h")["deleted"] is True
    assert os.listdir(driver.root / "objects" / "1" / "h") == ["0000000003.00000.ts"]


def test_listing_quarantine_remove(driver):
    writer = driver.writer(7, "h1", "0000000001.00000")
    writer.write(b"x")
    writer.commit({"etag": "x", "size": 1})
    assert driver.partitions() == [7] and driver.hashes(7) == ["h1"]
    assert driver.quarantine(7, "h1").parent == driver.root / "quarantined" / "objects"
    assert driver.hashes(7) == []
    driver.put_tombstone(7, "h2", "0000000001.00000", {})
    driver.remove(7, "h2")
    assert driver.hashes(7) == []


def test_down_device_refuses(driver):
    driver.device.status = "down"
    assert not driver.available()
    with pytest.raises(DeviceUnavailable):
        driver.writer(1, "h", "0000000001.00000")
    assert driver.metadata(1, "h") is None


def test_sidecar_when_the_file_system_has_no_xattrs(driver, monkeypatch):
    def no_xattrs(*args, **kwargs):
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(os, "setxattr", no_xattrs)
    monkeypatch.setattr(os, "getxattr", no_xattrs)
    writer = driver.writer(2, "h", "0000000001.00000")
    writer.write(b"abc")
    writer.commit({"etag": "e", "size": 3})
    assert sorted(os.listdir(driver.root / "objects" / "2" / "h")) == ["0000000001.00000.data",
                                                                        "0000000001.00000.meta"]
    assert driver.metadata(2, "h")["etag"] == "e"
    # A data file whose sidecar has not landed yet does not count.
    os.unlink(driver.root / "objects" / "2" / "h" / "0000000001.00000.meta")
    assert driver.metadata(2, "h") is None


def test_remove_upto_keeps_newer_replicas(driver):
    driver.put_tombstone(4, "h", "0000000001.00000", {})
    writer = driver.writer(4, "h", "0000000002.00000")
    writer.write(b"new")
    writer.commit({"etag": "x", "size": 3})
    driver.remove(4, "h", upto="0000000001.00000")
    assert driver.metadata(4, "h")["timestamp"] == "0000000002.00000"
    driver.remove(4, "h", upto="0000000002.00000")
    assert driver.hashes(4) == []
