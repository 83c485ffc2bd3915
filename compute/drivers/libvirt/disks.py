"""Instance disks with qemu-img: qcow2 overlays on a cached base, resize, flatten for snapshots."""

import json
import subprocess

from compute.drivers.base import DriverError

TIMEOUT = 600


def qemu_img(*args):
    try:
        result = subprocess.run(["qemu-img", *args], capture_output=True, text=True, timeout=TIMEOUT)
    except FileNotFoundError as error:
        raise DriverError("qemu-img is not installed on this host") from error
    if result.returncode != 0:
        raise DriverError(f"qemu-img {args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def info(path):
    # -U: the disk may be open in a running QEMU, which holds the write lock.
    return json.loads(qemu_img("info", "-U", "--output=json", str(path)))


def create_overlay(base, base_format, target, size_bytes=None):
    """A qcow2 whose unwritten blocks read from base: instances share one cached copy of an image."""
    args = ["create", "-q", "-f", "qcow2", "-b", str(base), "-F", base_format, str(target)]
    if size_bytes:
        args.append(str(int(size_bytes)))
    qemu_img(*args)


def grow(path, size_bytes):
    """Grow to size_bytes; a disk is never shrunk (its file system would be cut)."""
    if size_bytes and info(path)["virtual-size"] < size_bytes:
        qemu_img("resize", "-q", str(path), str(int(size_bytes)))


def flatten(source, target, output_format="qcow2"):
    """A standalone copy of source with its backing chain folded in (what a snapshot uploads)."""
    args = ["convert", "-q", "-U", "-O", output_format]
    if output_format == "qcow2":
        args.append("-c")
    qemu_img(*args, str(source), str(target))


def backing_file(path):
    return info(path).get("full-backing-filename") or info(path).get("backing-filename")


def rebase(path, base, base_format):
    """Point an overlay at another copy of the same base (a migrated disk on its new host); unsafe is right
    because the content of the base is identical."""
    qemu_img("rebase", "-u", "-b", str(base), "-F", base_format, str(path))
