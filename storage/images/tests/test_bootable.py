"""The cirros-nebula build: a real kernel, an initramfs whose /init reports the config drive, a qcow2 disk;
registered idempotently by the bootstrap; booted once under QEMU (TCG)."""

import gzip
import io
import json
import os
import re
import shutil
import socket
import subprocess
import time

import pytest

from storage.images import bootstrap as images_bootstrap
from storage.images.bootable import builder
from storage.images.models import Image


def read_newc(data):
    """{name: (mode, body)} of a newc cpio archive."""
    entries, offset = {}, 0
    while offset < len(data):
        header = data[offset:offset + 110]
        assert header[:6] == b"070701", header[:6]
        fields = [int(header[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        mode, file_size, name_size = fields[1], fields[6], fields[11]
        name_start = offset + 110
        name = data[name_start:name_start + name_size - 1].decode()
        body_start = (name_start + name_size + 3) & ~3
        body = data[body_start:body_start + file_size]
        offset = (body_start + file_size + 3) & ~3
        if name == "TRAILER!!!":
            break
        entries[name.removeprefix("./")] = (mode, body)
    return entries


@pytest.fixture(scope="module")
def artefacts():
    try:
        return builder.build()
    except builder.BuildUnavailable as error:
        pytest.skip(f"apt cannot fetch Debian packages here: {error}")


def test_initramfs_is_a_cpio_with_init_and_busybox(artefacts):
    entries = read_newc(gzip.decompress(artefacts.ramdisk.read_bytes()))
    init_mode, init_body = entries["init"]
    assert init_mode & 0o111 and init_body.startswith(b"#!/bin/sh")
    assert b"config-2" in init_body
    _, busybox = entries["bin/busybox"]
    assert busybox[:4] == b"\x7fELF" and len(busybox) > 500_000
    assert entries["bin/sh"][1] == b"busybox"  # a symlink's body is its target
    modules = entries["etc/modules.order"][1].decode().split()
    assert "isofs.ko" in modules and "virtio_blk.ko" in modules
    # Dependencies load first.
    assert modules.index("virtio_ring.ko") < modules.index("virtio_blk.ko")
    assert modules.index("cdrom.ko") < modules.index("sr_mod.ko")
    for module in modules:
        assert f"lib/modules/{module}" in entries


def test_kernel_and_root_disk(artefacts):
    assert b"HdrS" in artefacts.kernel.read_bytes()[:1024]
    info = json.loads(subprocess.run(["qemu-img", "info", "--output=json", str(artefacts.disk)], check=True,
                                     capture_output=True, text=True).stdout)
    assert info["format"] == "qcow2" and info["virtual-size"] == builder.ROOT_DISK_MB * 1024 * 1024


def test_cached_build_is_reused(artefacts):
    before = artefacts.kernel.stat().st_mtime_ns
    again = builder.build()
    assert again == artefacts and again.kernel.stat().st_mtime_ns == before


@pytest.mark.django_db
def test_bootstrap_registers_once(artefacts, internal_ctx):
    result = {}
    images_bootstrap.run(internal_ctx, result)
    disk = Image.objects.get(pk=result["images"]["cirros-nebula"])
    images_bootstrap.run(internal_ctx, {})
    assert Image.objects.filter(name__startswith="cirros-nebula").count() == 3
    kernel = Image.objects.get(pk=disk.properties["kernel_id"])
    ramdisk = Image.objects.get(pk=disk.properties["ramdisk_id"])
    assert (kernel.disk_format, ramdisk.disk_format, disk.disk_format) == ("aki", "ari", "qcow2")
    assert {kernel.status, ramdisk.status, disk.status} == {"active"}
    assert {kernel.visibility, ramdisk.visibility, disk.visibility} == {"public"}
    assert disk.checksum == artefacts.checksums["disk.qcow2"]
    assert disk.virtual_size == builder.ROOT_DISK_MB * 1024 * 1024


@pytest.mark.django_db
def test_bootstrap_without_packages_goes_on(settings, tmp_path, monkeypatch, internal_ctx, capsys):
    settings.BUILD_CACHE_DIR = tmp_path / "cache"
    # A package apt cannot know stands for an unreachable mirror: the real apt-cache fails.
    monkeypatch.setattr(builder, "KERNEL_METAPACKAGE", "linux-image-does-not-exist-nebula")
    monkeypatch.setattr(builder.os, "geteuid", lambda: 1000)  # no apt-get update retry
    result = {}
    images_bootstrap.run(internal_ctx, result)
    assert result["images"] == {}
    assert "was not built" in capsys.readouterr().err
    assert not Image.objects.exists()


def _config_drive(path, meta, user_data):
    import pycdlib

    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=4, joliet=3, rock_ridge="1.09", vol_ident="config-2")
    iso.add_directory("/OPENSTACK", rr_name="openstack", joliet_path="/openstack")
    iso.add_directory("/OPENSTACK/LATEST", rr_name="latest", joliet_path="/openstack/latest")
    for iso_name, name, body in (("META_DAT.JSO;1", "meta_data.json", json.dumps(meta).encode()),
                                 ("USER_DAT.;1", "user_data", user_data)):
        iso.add_fp(io.BytesIO(body), len(body), f"/OPENSTACK/LATEST/{iso_name}", rr_name=name,
                   joliet_path=f"/openstack/latest/{name}")
    iso.write(str(path))
    iso.close()


@pytest.mark.slow
def test_boots_under_qemu_and_reports_the_config_drive(artefacts, tmp_path):
    qemu = shutil.which("qemu-system-x86_64")
    if qemu is None:
        pytest.skip("qemu-system-x86 is not installed (bin/install --test installs it)")
    drive = tmp_path / "config.iso"
    _config_drive(drive, {"uuid": "u-1", "hostname": "guest-one", "name": "guest-one",
                          "public_keys": {"k": "ssh-ed25519 AAAAtestkey tester@nebula\n"}},
                  b"#!/bin/sh\necho user-data-marker\n")
    log = tmp_path / "serial.log"
    monitor = tmp_path / "monitor.sock"
    spare = tmp_path / "spare.raw"
    spare.write_bytes(b"")
    os.truncate(spare, 3 * 1024 * 1024)
    process = subprocess.Popen([
        qemu, "-accel", "tcg", "-m", "256", "-smp", "1", "-kernel", str(artefacts.kernel),
        "-initrd", str(artefacts.ramdisk), "-append", "console=ttyS0 panic=-1 quiet", "-display", "none",
        "-monitor", f"unix:{monitor},server=on,wait=off", "-no-reboot", "-nic", "none", "-serial", f"file:{log}",
        "-drive", f"file={drive},media=cdrom,readonly=on",
        "-drive", f"file={artefacts.disk},if=virtio,snapshot=on"])
    try:
        text = _wait_for_console(process, log, "boot complete", 90)
        # A disk hot-plugged into the running guest (what `server add volume` does through libvirt) and
        # unplugged again: the guest's disk watcher says so on the serial console.
        _monitor(monitor, f"drive_add 0 if=none,id=spare,format=raw,file={spare}",
                 "device_add virtio-blk-pci,drive=spare,id=sparedisk")
        text = _wait_for_console(process, log, "disk added: vdb", 60)
        _monitor(monitor, "device_del sparedisk")
        text = _wait_for_console(process, log, "disk removed: vdb", 60)
    finally:
        process.kill()
        process.wait()
    assert "cirros-nebula: a tiny Nebula guest" in text
    assert "config drive: found" in text
    assert "hostname: guest-one" in text
    assert "ssh-key: ssh-ed25519 AAAAtestkey tester@nebula" in text
    assert "user-data-marker" in text
    # It stays up: the loop after the banner keeps PID 1 alive (a panic would end QEMU with -no-reboot).
    assert "Kernel panic" not in text
    assert re.search(r"cirros-nebula: disks: .*\bvda\b", text)
    assert f"cirros-nebula: disk added: vdb {3 * 1024 * 1024} bytes" in text
    assert "cirros-nebula: disk removed: vdb" in text


def _wait_for_console(process, log, marker, timeout):
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline and marker not in text:
        time.sleep(0.5)
        text = log.read_text(errors="replace") if log.exists() else ""
        assert process.poll() is None, text
    return text


def _monitor(path, *commands):
    """Commands to QEMU's human monitor on its unix socket."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(str(path))
        for command in commands:
            sock.sendall(command.encode() + b"\n")
            time.sleep(0.5)
        sock.sendall(b"info block\n")
        time.sleep(0.5)
        return sock.recv(65536).decode(errors="replace")
