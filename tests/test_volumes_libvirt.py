"""A volume hot-plugged into a real QEMU guest (TCG, libvirtd on qemu:///system) with the real CLI:
`server add volume` makes it in-use and plugs the volume's file into the running QEMU as vdc, and the
guest sees it (cirros-nebula's disk watcher prints "disk added: vdc <bytes> bytes" on its serial console,
which `console log show` reads fresh from the host); `server remove volume` unplugs it ("disk removed:
vdc") and frees the volume."""

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
HOST = f"volvirt-{uuid.uuid4().hex[:6]}"  # per session: test sessions on this machine share one libvirtd
ZONE = f"nebula-volvirt-{HOST[-6:]}"
VOLUME_HOST = f"{HOST}-storage"
BACKEND = f"qemu-{HOST[-6:]}"  # unique: other modules' back ends are called `file`


def virsh(*args):
    return subprocess.run(["virsh", "-c", "qemu:///system", *args], capture_output=True, text=True, timeout=60)


def demo(live_cloud, *args, **kw):
    return live_cloud.openstack(*args, cloud="nebula-demo", **kw)


@pytest.fixture(scope="module")
def qemu_host(live_cloud):
    started = subprocess.run([str(ROOT / "bin" / "libvirtd-up")], capture_output=True, text=True, timeout=60)
    if started.returncode != 0:
        pytest.skip(f"libvirtd cannot run on this machine: {started.stderr.strip()}")
    if not live_cloud.openstack("image", "list", "--name", "cirros-nebula"):
        pytest.skip("the bootstrap could not build cirros-nebula here (no Debian packages)")
    # QEMU runs as libvirt-qemu: instance and volume files need world-traversable paths.
    scratch = Path(tempfile.mkdtemp(prefix="nebula-e2e-volvirt-", dir="/var/tmp"))
    scratch.chmod(0o755)
    workers = [live_cloud.start_worker("volvirt-conductor", "conductor"),
               live_cloud.start_worker(f"{HOST}-worker", f"compute.{HOST}", extra_env={
                   "NEBULA_ROLE": "compute", "NEBULA_COMPUTE_HOST": HOST, "NEBULA_COMPUTE_ZONE": ZONE,
                   "NEBULA_COMPUTE_DRIVER": "libvirt", "NEBULA_LIBVIRT_URI": "qemu:///system",
                   "NEBULA_LIBVIRT_VIRT_TYPE": "qemu", "NEBULA_LIBVIRT_INSTANCES_DIR": str(scratch / "instances"),
                   "NEBULA_LIBVIRT_SHUTDOWN_TIMEOUT": "1", "NEBULA_LIBVIRT_IMAGE_API_PASSWORD": ADMIN_PASSWORD,
                   "NEBULA_COMPUTE_REPORT_INTERVAL": "1",
                   "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:1/no_database"})]
    env = {"NEBULA_VOLUME_HOST": VOLUME_HOST, "NEBULA_VOLUME_REPORT_INTERVAL": "1",
           "NEBULA_VOLUME_BACKENDS": f"{BACKEND}=file:{scratch / 'volumes'}"}
    workers.append(live_cloud.start_worker("volvirt-volume-scheduler", "volume-scheduler", extra_env=env))
    workers.append(live_cloud.start_worker("volvirt-volume-file", f"volume.{VOLUME_HOST}@{BACKEND}", extra_env=env))
    wait_for(lambda: any(r["Host"] == HOST and r["State"] == "up"
                         for r in live_cloud.openstack("compute", "service", "list")), 60, interval=1,
             what=f"{HOST} up")
    wait_for(lambda: any(p["Name"] == f"{VOLUME_HOST}@{BACKEND}#{BACKEND}"
                         for p in live_cloud.openstack("volume", "backend", "pool", "list")), 60, interval=1,
             what="volume back end up")
    live_cloud.openstack("volume", "type", "create", "--property", f"volume_backend_name={BACKEND}", f"type-{HOST}")
    try:
        yield {"type": f"type-{HOST}"}
    finally:
        live_cloud.openstack("compute", "service", "set", "--disable", HOST, "nova-compute", as_json=False,
                             check=False)
        for worker in workers:
            worker.stop()
        for name in virsh("list", "--all", "--name").stdout.split():
            if name.endswith(f"-{HOST}"):
                virsh("destroy", name)
                virsh("undefine", "--managed-save", name)
        shutil.rmtree(scratch, ignore_errors=True)


def console(live_cloud, server):
    return demo(live_cloud, "console", "log", "show", server, as_json=False)


def volume_status(live_cloud, volume, status, timeout=120):
    deadline = time.monotonic() + timeout
    shown = None
    while time.monotonic() < deadline:
        shown = demo(live_cloud, "volume", "show", volume)
        if shown["status"] == status:
            return shown
        time.sleep(1)
    raise AssertionError(f"volume {volume} not {status}: {shown}\n{live_cloud.logs()[-5000:]}")


def test_hot_plug_a_volume_into_a_running_qemu_guest(live_cloud, qemu_host):
    server = demo(live_cloud, "server", "create", "--flavor", "m1.nano", "--image", "cirros-nebula",
                  "--network", "private", "--availability-zone", ZONE, "--wait", "vm-volume", timeout=300)
    assert server["status"] == "ACTIVE"
    sid = server["id"]
    wait_for(lambda: "boot complete" in console(live_cloud, sid), 120, interval=2, what="guest booted")
    volume = demo(live_cloud, "volume", "create", "--size", "1", "--type", qemu_host["type"], "hot")
    volume_status(live_cloud, volume["id"], "available")

    demo(live_cloud, "server", "add", "volume", sid, "hot", as_json=False)
    attached = volume_status(live_cloud, volume["id"], "in-use")
    assert attached["attachments"][0]["server_id"] == sid
    domain = f"nebula-{sid}-{HOST}"
    # Plugged into the running QEMU (the live domain), backed by the volume's file.
    blocks = virsh("domblklist", domain).stdout
    assert "vdc" in blocks and f"volume-{volume['id']}" in blocks, blocks
    assert virsh("domstate", domain).stdout.strip() == "running"
    assert volume["id"] in demo(live_cloud, "server", "show", sid)["volumes_attached"].__repr__()
    # The guest's own view, through the console a user reads (asked of the host, not the last action's).
    added = f"cirros-nebula: disk added: vdc {1024 ** 3} bytes"
    wait_for(lambda: added in console(live_cloud, sid), 30, interval=1, what="the guest saw vdc")

    demo(live_cloud, "server", "remove", "volume", sid, "hot", as_json=False)
    volume_status(live_cloud, volume["id"], "available")
    wait_for(lambda: "vdc" not in virsh("domblklist", domain).stdout, 60, interval=1, what="vdc unplugged")
    wait_for(lambda: "cirros-nebula: disk removed: vdc" in console(live_cloud, sid), 30, interval=1,
             what="the guest lost vdc")
    demo(live_cloud, "server", "delete", "--wait", sid, as_json=False, timeout=180)
    demo(live_cloud, "volume", "delete", "hot", as_json=False)
