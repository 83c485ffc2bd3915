"""Boot from volume with the real CLI: `server create --volume` (an existing bootable volume) and
`server create --image … --boot-from-volume N` (the conductor makes the volume from the image first).

On a fake, database-less compute host the server goes ACTIVE with the volume in-use as its root disk and
listed in volumes_attached; on a real QEMU host (libvirtd on qemu:///system) the guest boots
cirros-nebula from the volume's file (direct kernel boot from the image's kernel_id/ramdisk_id) and its
console shows the banner. A delete leaves the volume available (no delete_on_termination)."""

import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from core.testing.live import ADMIN_PASSWORD
from core.testing.processes import ROOT, wait_for

pytestmark = [pytest.mark.e2e]
SUFFIX = uuid.uuid4().hex[:6]  # per session: sessions on this machine share one libvirtd
FAKE_HOST, FAKE_ZONE = f"bfv-fake-{SUFFIX}", f"nebula-bfv-fake-{SUFFIX}"
QEMU_HOST, QEMU_ZONE = f"bfv-qemu-{SUFFIX}", f"nebula-bfv-qemu-{SUFFIX}"
VOLUME_HOST, BACKEND = f"bfv-storage-{SUFFIX}", f"bfv-{SUFFIX}"
BANNER = "cirros-nebula: a tiny Nebula guest"
NO_DATABASE = "postgres://nobody:nothing@127.0.0.1:1/no_database"


def demo(live_cloud, *args, **kw):
    return live_cloud.openstack(*args, cloud="nebula-demo", **kw)


def virsh(*args):
    return subprocess.run(["virsh", "-c", "qemu:///system", *args], capture_output=True, text=True, timeout=60)


def volume_status(live_cloud, volume, status, timeout=120):
    deadline = time.monotonic() + timeout
    shown = None
    while time.monotonic() < deadline:
        shown = demo(live_cloud, "volume", "show", volume)
        if shown["status"] == status:
            return shown
        assert shown["status"] != "error", shown
        time.sleep(0.5)
    raise AssertionError(f"volume {volume} not {status}: {shown}\n{live_cloud.logs()[-5000:]}")


@pytest.fixture(scope="module")
def storage(live_cloud):
    """A conductor, a volume scheduler and one `file` back end under a world-traversable directory (QEMU
    runs as libvirt-qemu), with a volume type steering to it."""
    scratch = Path(tempfile.mkdtemp(prefix="nebula-e2e-bfv-", dir="/var/tmp"))
    scratch.chmod(0o755)
    env = {"NEBULA_VOLUME_HOST": VOLUME_HOST, "NEBULA_VOLUME_REPORT_INTERVAL": "1",
           "NEBULA_VOLUME_BACKENDS": f"{BACKEND}=file:{scratch / 'volumes'}"}
    workers = [live_cloud.start_worker("bfv-conductor", "conductor"),
               live_cloud.start_worker("bfv-volume-scheduler", "volume-scheduler", extra_env=env),
               live_cloud.start_worker("bfv-volume-file", f"volume.{VOLUME_HOST}@{BACKEND}", extra_env=env)]
    wait_for(lambda: any(p["Name"] == f"{VOLUME_HOST}@{BACKEND}#{BACKEND}"
                         for p in live_cloud.openstack("volume", "backend", "pool", "list")), 60, interval=1,
             what="volume back end up")
    live_cloud.openstack("volume", "type", "create", "--property", f"volume_backend_name={BACKEND}", f"type-{SUFFIX}")
    try:
        yield {"type": f"type-{SUFFIX}", "scratch": scratch}
    finally:
        for worker in workers:
            worker.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def _compute_host(live_cloud, host, zone, extra):
    worker = live_cloud.start_worker(f"{host}-worker", f"compute.{host}", extra_env={
        "NEBULA_ROLE": "compute", "NEBULA_COMPUTE_HOST": host, "NEBULA_COMPUTE_ZONE": zone,
        "NEBULA_COMPUTE_REPORT_INTERVAL": "1", "DATABASE_URL": NO_DATABASE, **extra})
    wait_for(lambda: any(r["Host"] == host and r["State"] == "up"
                         for r in live_cloud.openstack("compute", "service", "list")), 60, interval=1,
             what=f"{host} up")
    return worker


@pytest.fixture(scope="module")
def fake_host(live_cloud, storage):
    worker = _compute_host(live_cloud, FAKE_HOST, FAKE_ZONE, {})
    try:
        yield FAKE_ZONE
    finally:
        live_cloud.openstack("compute", "service", "set", "--disable", FAKE_HOST, "nova-compute", as_json=False,
                             check=False)
        worker.stop()


@pytest.fixture(scope="module")
def qemu_host(live_cloud, storage):
    started = subprocess.run([str(ROOT / "bin" / "libvirtd-up")], capture_output=True, text=True, timeout=60)
    if started.returncode != 0:
        pytest.skip(f"libvirtd cannot run on this machine: {started.stderr.strip()}")
    if not live_cloud.openstack("image", "list", "--name", "cirros-nebula"):
        pytest.skip("the bootstrap could not build cirros-nebula here (no Debian packages)")
    worker = _compute_host(live_cloud, QEMU_HOST, QEMU_ZONE, {
        "NEBULA_COMPUTE_DRIVER": "libvirt", "NEBULA_LIBVIRT_URI": "qemu:///system", "NEBULA_LIBVIRT_VIRT_TYPE": "qemu",
        "NEBULA_LIBVIRT_INSTANCES_DIR": str(storage["scratch"] / "instances"), "NEBULA_LIBVIRT_SHUTDOWN_TIMEOUT": "1",
        "NEBULA_LIBVIRT_IMAGE_API_PASSWORD": ADMIN_PASSWORD})
    try:
        yield QEMU_ZONE
    finally:
        live_cloud.openstack("compute", "service", "set", "--disable", QEMU_HOST, "nova-compute", as_json=False,
                             check=False)
        worker.stop()
        for name in virsh("list", "--all", "--name").stdout.split():
            if name.endswith(f"-{QEMU_HOST}"):
                virsh("destroy", name)
                virsh("undefine", "--managed-save", name)


def _boot_image(live_cloud, tmp_path):
    """cirros-nebula when the bootstrap built it, else a small raw image (a fake host boots anything)."""
    if live_cloud.openstack("image", "list", "--name", "cirros-nebula"):
        return "cirros-nebula"
    image_file = tmp_path / "bfv.raw"
    image_file.write_bytes(b"\0" * 65536)
    live_cloud.openstack("image", "create", "--file", str(image_file), "--disk-format", "raw",
                         "--container-format", "bare", "--public", "bfv-tiny")
    return "bfv-tiny"


def test_boot_from_volume_on_a_fake_host(live_cloud, storage, fake_host, tmp_path):
    image = _boot_image(live_cloud, tmp_path)
    volume = demo(live_cloud, "volume", "create", "--image", image, "--size", "1", "--type", storage["type"],
                  "bootvol")
    volume_status(live_cloud, volume["id"], "available")
    server = demo(live_cloud, "server", "create", "--volume", "bootvol", "--flavor", "m1.nano", "--network", "private",
                  "--availability-zone", fake_host, "--wait", "bfv", timeout=180)
    assert server["status"] == "ACTIVE", server
    shown = demo(live_cloud, "server", "show", server["id"])
    assert shown["image"] in ("", "N/A (booted from volume)"), shown["image"]
    assert [v["id"] for v in shown["volumes_attached"]] == [volume["id"]]
    attached = volume_status(live_cloud, volume["id"], "in-use")
    assert attached["attachments"][0]["server_id"] == server["id"]
    assert attached["attachments"][0]["device"] == "/dev/vda"
    assert f"from volume {volume['id']}" in demo(live_cloud, "console", "log", "show", server["id"], as_json=False)

    demo(live_cloud, "server", "delete", "--wait", server["id"], as_json=False, timeout=120)
    freed = volume_status(live_cloud, volume["id"], "available")
    assert freed["attachments"] == []

    # The CLI's --boot-from-volume: source image, destination volume, volume_size; the conductor makes it.
    server = demo(live_cloud, "server", "create", "--image", image, "--boot-from-volume", "1", "--flavor", "m1.nano",
                  "--network", "private", "--availability-zone", fake_host, "--wait", "bfv-image", timeout=180)
    assert server["status"] == "ACTIVE", server
    [made] = demo(live_cloud, "server", "show", server["id"])["volumes_attached"]
    made_volume = volume_status(live_cloud, made["id"], "in-use")
    assert made_volume["size"] == 1 and made_volume["bootable"] in (True, "true")
    demo(live_cloud, "server", "delete", "--wait", server["id"], as_json=False, timeout=120)
    volume_status(live_cloud, made["id"], "available")  # the CLI asks for no delete_on_termination
    demo(live_cloud, "volume", "delete", made["id"], "bootvol", as_json=False)


def test_boot_from_volume_on_a_qemu_host(live_cloud, storage, qemu_host):
    volume = demo(live_cloud, "volume", "create", "--image", "cirros-nebula", "--size", "1", "--type", storage["type"],
                  "qemu-bootvol")
    volume_status(live_cloud, volume["id"], "available", timeout=180)
    server = demo(live_cloud, "server", "create", "--volume", "qemu-bootvol", "--flavor", "m1.nano", "--network",
                  "private", "--availability-zone", qemu_host, "--wait", "bfv-qemu", timeout=300)
    assert server["status"] == "ACTIVE", server
    sid = server["id"]
    blocks = virsh("domblklist", f"nebula-{sid}-{QEMU_HOST}").stdout
    assert f"volume-{volume['id']}" in blocks.split("vda", 1)[1].splitlines()[0], blocks  # vda is the volume's file

    def booted():
        text = demo(live_cloud, "console", "log", "show", sid, as_json=False)
        return BANNER in text and "boot complete" in text.rsplit(BANNER, 1)[-1]

    wait_for(booted, 180, interval=2, what=f"cirros-nebula booted from the volume\n{live_cloud.logs()[-4000:]}")
    volume_status(live_cloud, volume["id"], "in-use")
    demo(live_cloud, "server", "delete", "--wait", sid, as_json=False, timeout=180)
    volume_status(live_cloud, volume["id"], "available")
    demo(live_cloud, "volume", "delete", "qemu-bootvol", as_json=False)
