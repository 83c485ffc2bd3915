"""The file driver against real qemu-img: sizes, snapshots, clones, extend, raw export and import."""

import hashlib
import shutil

import pytest

from storage.volumes.drivers.base import VolumeDriverError, load_driver
from storage.volumes.drivers.file import image_info

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")
GiB = 1024 ** 3


def _write(driver, volume, tmp_path, data, offset=0):
    raw = tmp_path / "in.raw"
    driver.export_raw(volume, raw)
    with open(raw, "r+b") as handle:
        handle.seek(offset)
        handle.write(data)
    driver.import_raw(raw, volume)


_exports = iter(range(10 ** 6))


def _digest(driver, volume, tmp_path, snapshot=None):
    """A digest of the guest-visible bytes: sha256 of the allocated extents' data plus the map (fast on
    sparse exports, unlike hashing a GiB of zeros)."""
    import json
    import subprocess

    raw = tmp_path / f"out-{next(_exports)}.raw"
    driver.export_raw(volume, raw, snapshot)
    extents = json.loads(subprocess.run(["qemu-img", "map", "--output", "json", "-f", "raw", str(raw)],
                                        capture_output=True, text=True, check=True).stdout)
    digest = hashlib.sha256()
    with open(raw, "rb") as handle:
        for extent in extents:
            if extent["data"] and not extent.get("zero"):
                handle.seek(extent["start"])
                data = handle.read(extent["length"])
                digest.update(str(extent["start"]).encode() + data.rstrip(b"\0"))
    raw.unlink()
    return digest.hexdigest()


@pytest.mark.parametrize("fmt", ["qcow2", "raw"])
def test_lifecycle(tmp_path, fmt):
    driver = load_driver("file", "f", [str(tmp_path / "vols"), fmt])
    volume = {"id": "v1", "size": 1}
    volume.update(driver.create_volume(volume))
    assert image_info(volume["provider_location"], fmt)["virtual-size"] == GiB
    _write(driver, volume, tmp_path, b"hello" * 100, offset=4096)
    before = _digest(driver, volume, tmp_path)

    snapshot = {"id": "s1", "size": 1}
    snapshot.update(driver.create_snapshot(snapshot, volume))
    _write(driver, volume, tmp_path, b"changed", offset=4096)
    assert _digest(driver, volume, tmp_path) != before
    assert _digest(driver, volume, tmp_path, snapshot) == before

    from_snap = {"id": "v2", "size": 2}
    from_snap.update(driver.create_volume_from_snapshot(from_snap, snapshot, volume))
    assert image_info(from_snap["provider_location"], fmt)["virtual-size"] == 2 * GiB
    clone = {"id": "v3", "size": 1}
    clone.update(driver.create_cloned_volume(clone, volume))
    assert _digest(driver, clone, tmp_path) == _digest(driver, volume, tmp_path)

    driver.extend_volume(volume, 3)
    assert image_info(volume["provider_location"], fmt)["virtual-size"] == 3 * GiB
    info = driver.initialize_connection(volume, {"host": "c1"})
    assert info == {"driver_volume_type": "file", "data": {"path": volume["provider_location"], "format": fmt,
                                                           "volume_id": "v1", "access_mode": "rw"}}
    driver.delete_snapshot(snapshot, volume)
    for row in (volume, from_snap, clone):
        driver.delete_volume(row)
    assert not list((tmp_path / "vols").glob("volume-*"))
    stats = driver.get_stats()
    assert stats["pools"][0]["total_capacity_gb"] > 0 and stats["capabilities"]["volume_backend_name"] == "f"


def test_image_to_volume_and_too_small(tmp_path):
    driver = load_driver("file", "f", [str(tmp_path / "vols")])
    image = tmp_path / "img.raw"
    image.write_bytes(b"\x01" * 8192)
    volume = {"id": "v1", "size": 1}
    volume.update(driver.create_volume_from_image(volume, image, "raw"))
    raw = tmp_path / "out.raw"
    driver.export_raw(volume, raw)
    with open(raw, "rb") as handle:
        assert handle.read(8193) == b"\x01" * 8192 + b"\0" and raw.stat().st_size == GiB
    big = tmp_path / "big.qcow2"
    import subprocess

    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(big), "2G"], check=True)
    with pytest.raises(VolumeDriverError):
        driver.create_volume_from_image({"id": "v2", "size": 1}, big, "qcow2")
    assert not list((tmp_path / "vols").glob("volume-v2*"))


def test_bad_configuration():
    with pytest.raises(VolumeDriverError):
        load_driver("file", "f", [])
    with pytest.raises(VolumeDriverError):
        load_driver("file", "f", ["/tmp/x", "vmdk"])
    with pytest.raises(VolumeDriverError):
        load_driver("nosuch", "f")
