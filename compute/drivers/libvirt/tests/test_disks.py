import pytest

from compute.drivers.base import DriverError
from compute.drivers.libvirt import disks

MiB = 1024 * 1024


@pytest.fixture
def base(tmp_path):
    path = tmp_path / "base.qcow2"
    disks.qemu_img("create", "-q", "-f", "qcow2", str(path), "8M")
    return path


def test_overlay_reads_from_its_base_and_grows_but_never_shrinks(tmp_path, base):
    overlay = tmp_path / "disk"
    disks.create_overlay(base, "qcow2", overlay)
    info = disks.info(overlay)
    assert info["virtual-size"] == 8 * MiB and info["backing-filename"] == str(base)
    disks.grow(overlay, 32 * MiB)
    assert disks.info(overlay)["virtual-size"] == 32 * MiB
    disks.grow(overlay, 16 * MiB)
    assert disks.info(overlay)["virtual-size"] == 32 * MiB


def test_flatten_folds_the_backing_chain(tmp_path, base):
    overlay = tmp_path / "disk"
    disks.create_overlay(base, "qcow2", overlay)
    flat = tmp_path / "flat.qcow2"
    disks.flatten(overlay, flat)
    info = disks.info(flat)
    assert "backing-filename" not in info and info["virtual-size"] == 8 * MiB


def test_rebase_points_an_overlay_at_another_copy(tmp_path, base):
    overlay = tmp_path / "disk"
    disks.create_overlay(base, "qcow2", overlay)
    copy = tmp_path / "copy.qcow2"
    copy.write_bytes(base.read_bytes())
    disks.rebase(overlay, copy, "qcow2")
    assert disks.info(overlay)["backing-filename"] == str(copy)


def test_qemu_img_errors_become_driver_errors(tmp_path):
    with pytest.raises(DriverError, match="qemu-img info failed"):
        disks.info(tmp_path / "missing")
