import hashlib
import subprocess
import uuid

import pytest


@pytest.fixture
def image_store(tmp_path):
    """A directory laid out like the filesystem image store, with a tiny qcow2 root image plus a kernel and
    a ramdisk (their content does not matter to the test driver)."""
    store = tmp_path / "store"
    store.mkdir()
    root_id, kernel_id, ramdisk_id = (str(uuid.uuid4()) for _ in range(3))
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(store / root_id), "16M"], check=True)
    (store / kernel_id).write_bytes(b"kernel" * 100)
    (store / ramdisk_id).write_bytes(b"ramdisk" * 100)
    checksum = hashlib.md5((store / root_id).read_bytes(), usedforsecurity=False).hexdigest()
    image = {"id": root_id, "name": "tiny", "disk_format": "qcow2", "checksum": checksum,
             "properties": {"kernel_id": kernel_id, "ramdisk_id": ramdisk_id,
                            "os_command_line": "console=ttyS0 quiet"}}
    return {"dir": store, "image": image, "kernel_id": kernel_id, "ramdisk_id": ramdisk_id}
