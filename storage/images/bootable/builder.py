"""Builds the cirros-nebula artefacts from Debian packages only: the cloud kernel, an initramfs of
busybox whose /init reports the config drive on the serial console, and a small qcow2 root disk.

The result is cached under settings.BUILD_CACHE_DIR (outside the per-run state dir), keyed by the
recipe, so a second `make run` and every test session reuse it. Knows apt, dpkg, qemu-img; nothing of
the ORM or HTTP.
"""

import fcntl
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
KERNEL_METAPACKAGE = "linux-image-cloud-amd64"
BUSYBOX_PACKAGE = "busybox-static"
# Drivers the guest needs for a config drive (CD-ROM on IDE/SCSI, or a virtio disk) and a NIC.
WANTED_MODULES = ["virtio_pci", "virtio_blk", "virtio_scsi", "virtio_net", "ata_piix", "ata_generic", "sr_mod",
                  "sd_mod", "isofs", "vfat", "nls_cp437", "nls_iso8859_1"]
APPLETS = ["sh", "mount", "umount", "echo", "cat", "uname", "ls", "sleep", "mkdir", "sed", "grep", "cut",
           "findfs", "blkid", "hostname", "insmod", "ip", "udhcpc", "poweroff", "reboot", "cttyhack", "setsid",
           "dmesg", "ps", "ifconfig", "route", "tr"]
ROOT_DISK_MB = 32
COMMAND_TIMEOUT = 300


class BuildUnavailable(Exception):
    """The image cannot be built here (no network for apt, a missing tool); the message says why."""


@dataclass(frozen=True)
class Artefacts:
    kernel: Path
    ramdisk: Path
    disk: Path
    kernel_version: str
    checksums: dict  # file name -> md5

    @property
    def directory(self):
        return self.kernel.parent


def recipe_key():
    """Changes when the recipe changes, so an old cached build is never reused for a new recipe."""
    digest = hashlib.sha256()
    for name in ("init.sh", "udhcpc.script", "builder.py"):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:16]


def cache_dir():
    return Path(settings.BUILD_CACHE_DIR) / "cirros-nebula" / recipe_key()


def _run(args, **kwargs):
    try:
        return subprocess.run(args, check=True, capture_output=True, timeout=COMMAND_TIMEOUT, **kwargs)
    except FileNotFoundError as error:
        raise BuildUnavailable(f"{args[0]} is not installed") from error
    except subprocess.CalledProcessError as error:
        output = (error.stderr or b"").decode(errors="replace").strip().splitlines()[-3:]
        raise BuildUnavailable(f"{' '.join(map(str, args[:3]))} failed: {' / '.join(output)}") from error
    except subprocess.TimeoutExpired as error:
        raise BuildUnavailable(f"{' '.join(map(str, args[:3]))} timed out") from error


def _kernel_package():
    """The real kernel package behind the metapackage (linux-image-6.1.0-NN-cloud-amd64)."""
    output = _run(["apt-cache", "depends", KERNEL_METAPACKAGE]).stdout.decode()
    match = re.search(r"Depends:\s*(linux-image-\S+-cloud-amd64)", output)
    if not match:
        raise BuildUnavailable(f"apt knows no {KERNEL_METAPACKAGE}; run apt-get update")
    return match.group(1)


def _download(packages, into):
    try:
        _run(["apt-get", "download", *packages], cwd=into)
    except BuildUnavailable:
        if os.geteuid() != 0:
            raise
        # The package lists may be stale or missing on a fresh machine: refresh once and retry.
        _run(["apt-get", "update", "-q"])
        _run(["apt-get", "download", *packages], cwd=into)


def _modinfo_depends(path):
    data = path.read_bytes()
    index = data.find(b"\0depends=")
    if index < 0:
        return []
    end = data.index(b"\0", index + 1)
    value = data[index + len(b"\0depends="):end].decode()
    return [name for name in value.split(",") if name]


def _module_order(module_root):
    """Module files (relative to module_root) of WANTED_MODULES and their dependencies, dependencies first."""
    index = {}
    for path in module_root.rglob("*.ko"):
        index[path.stem.replace("-", "_")] = path
    order, seen = [], set()

    def visit(name):
        name = name.replace("-", "_")
        if name in seen or name not in index:
            return
        seen.add(name)
        for dependency in _modinfo_depends(index[name]):
            visit(dependency)
        order.append(index[name])

    for name in WANTED_MODULES:
        visit(name)
    return order


def _write_cpio(root, busybox, target):
    listing = subprocess.run(["find", "."], cwd=root, check=True, capture_output=True).stdout
    archive = subprocess.run([str(busybox), "cpio", "-o", "-H", "newc"], cwd=root, input=listing,
                             check=True, capture_output=True, timeout=COMMAND_TIMEOUT).stdout
    with gzip.open(target, "wb", compresslevel=9) as handle:
        handle.write(archive)


def _initramfs(work, busybox, kernel_root, kernel_version, target):
    root = work / "initrd-root"
    for name in ("bin", "sbin", "proc", "sys", "dev", "etc", "mnt", "tmp", "lib/modules"):
        (root / name).mkdir(parents=True, exist_ok=True)
    shutil.copy2(busybox, root / "bin" / "busybox")
    for applet in APPLETS:
        (root / "bin" / applet).symlink_to("busybox")
    module_root = kernel_root / "lib" / "modules" / kernel_version
    order = []
    for path in _module_order(module_root):
        shutil.copy2(path, root / "lib" / "modules" / path.name)
        order.append(path.name)
    (root / "etc" / "modules.order").write_text("\n".join(order) + "\n")
    (root / "etc" / "hostname").write_text("cirros-nebula\n")
    shutil.copy2(HERE / "udhcpc.script", root / "etc" / "udhcpc.script")
    shutil.copy2(HERE / "init.sh", root / "init")
    for executable in (root / "init", root / "etc" / "udhcpc.script"):
        executable.chmod(0o755)
    _write_cpio(root, busybox, target)


def _root_disk(work, kernel_version, target):
    content = work / "rootfs"
    (content / "etc").mkdir(parents=True)
    (content / "etc" / "nebula-release").write_text(f"cirros-nebula (Debian kernel {kernel_version})\n")
    raw = work / "root.raw"
    with open(raw, "wb") as handle:
        handle.truncate(ROOT_DISK_MB * 1024 * 1024)
    try:
        _run(["mkfs.ext4", "-q", "-F", "-L", "cirros-root", "-d", str(content), str(raw)])
    except BuildUnavailable as error:
        log.warning("root disk left without a file system: %s", error)
    _run(["qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2", "-c", str(raw), str(target)])


def _md5(path):
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _load(directory):
    manifest = directory / "manifest.json"
    if not manifest.exists():
        return None
    data = json.loads(manifest.read_text())
    files = {name: directory / name for name in ("vmlinuz", "initrd.img", "disk.qcow2")}
    if not all(path.exists() for path in files.values()):
        return None
    return Artefacts(kernel=files["vmlinuz"], ramdisk=files["initrd.img"], disk=files["disk.qcow2"],
                     kernel_version=data["kernel_version"], checksums=data["checksums"])


def cached():
    """The cached build of the current recipe, or None."""
    return _load(cache_dir())


def build(force=False):
    """The artefacts, from the cache or freshly built; raises BuildUnavailable with the reason."""
    target = cache_dir()
    if not force:
        found = _load(target)
        if found:
            return found
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BuildUnavailable(f"cannot create the build cache {target.parent}: {error}") from error
    with open(target.parent / ".lock", "w") as lock:
        # Several processes (test sessions, make run) may build at once: one builds, the others wait.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force:
            found = _load(target)
            if found:
                return found
        with tempfile.TemporaryDirectory(prefix="build-", dir=target.parent) as scratch:
            work = Path(scratch)
            downloads = work / "debs"
            downloads.mkdir()
            kernel_package = _kernel_package()
            _download([kernel_package, BUSYBOX_PACKAGE], downloads)
            kernel_root, busybox_root = work / "kernel", work / "busybox"
            for deb in downloads.glob("*.deb"):
                _run(["dpkg", "-x", str(deb), str(busybox_root if "busybox" in deb.name else kernel_root)])
            kernels = sorted((kernel_root / "boot").glob("vmlinuz-*"))
            busybox = busybox_root / "bin" / "busybox"
            if not kernels or not busybox.exists():
                raise BuildUnavailable("the downloaded packages hold no kernel or no busybox")
            kernel_version = kernels[-1].name[len("vmlinuz-"):]
            output = work / "out"
            output.mkdir()
            shutil.copy2(kernels[-1], output / "vmlinuz")
            _initramfs(work, busybox, kernel_root, kernel_version, output / "initrd.img")
            _root_disk(work, kernel_version, output / "disk.qcow2")
            checksums = {name: _md5(output / name) for name in ("vmlinuz", "initrd.img", "disk.qcow2")}
            (output / "manifest.json").write_text(json.dumps({
                "kernel_version": kernel_version, "kernel_package": kernel_package, "checksums": checksums}))
            if target.exists():
                shutil.rmtree(target)
            os.replace(output, target)
        log.info("built cirros-nebula (kernel %s) into %s", kernel_version, target)
        return _load(target)
