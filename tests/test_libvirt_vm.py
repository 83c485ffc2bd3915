"""A real QEMU guest (TCG, through libvirtd on qemu:///system) driven by the real `openstack` CLI: a compute
host worker without a database uses the libvirt driver, fetches cirros-nebula over the Image API, boots it
with a config drive, and every server operation runs on that VM. Nothing may be left behind after delete."""

import json
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from core.testing.live import ADMIN_PASSWORD
from core.testing.processes import ROOT, wait_for

pytestmark = [pytest.mark.e2e]
# Per session: other test sessions on this machine share the one libvirtd. Two hosts, for the cold
# migrations (a resize goes to the other host first, then `server migrate` moves the server back).
TAG = uuid.uuid4().hex[:6]
HOSTS = (f"libvirt-e2e-{TAG}-a", f"libvirt-e2e-{TAG}-b")
ZONE = f"nebula-libvirt-{TAG}"
BANNER = "cirros-nebula: a tiny Nebula guest"


def virsh(*args):
    return subprocess.run(["virsh", "-c", "qemu:///system", *args], capture_output=True, text=True, timeout=60)


def our_domains():
    return [n for n in virsh("list", "--all", "--name").stdout.split() if n.endswith(HOSTS)]


@pytest.fixture(scope="module")
def libvirt_host(live_cloud):
    started = subprocess.run([str(ROOT / "bin" / "libvirtd-up")], capture_output=True, text=True, timeout=60)
    if started.returncode != 0:
        pytest.skip(f"libvirtd cannot run on this machine: {started.stderr.strip()}")
    # QEMU runs as libvirt-qemu: the instance files need a world-traversable path (the live cloud's state
    # dir is private).
    instances = Path(tempfile.mkdtemp(prefix="nebula-e2e-instances-", dir="/var/tmp"))
    instances.chmod(0o755)
    conductor = live_cloud.start_worker("libvirt-conductor", "conductor")
    workers = [live_cloud.start_worker(f"{host}-worker", f"compute.{host}", extra_env={
        "NEBULA_ROLE": "compute", "NEBULA_COMPUTE_HOST": host, "NEBULA_COMPUTE_ZONE": ZONE,
        "NEBULA_COMPUTE_DRIVER": "libvirt", "NEBULA_LIBVIRT_URI": "qemu:///system",
        "NEBULA_LIBVIRT_VIRT_TYPE": "qemu", "NEBULA_LIBVIRT_INSTANCES_DIR": str(instances),
        "NEBULA_LIBVIRT_SHUTDOWN_TIMEOUT": "1", "NEBULA_LIBVIRT_IMAGE_API_PASSWORD": ADMIN_PASSWORD,
        "NEBULA_COMPUTE_REPORT_INTERVAL": "1",
        "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:1/no_database"}) for host in HOSTS]

    def up():
        rows = live_cloud.openstack("compute", "service", "list")
        return {r["Host"] for r in rows if r["State"] == "up"} >= set(HOSTS)

    wait_for(up, 60, interval=1, what=f"{HOSTS} up\n{live_cloud.logs()[-4000:]}")
    try:
        yield {"instances": instances}
    finally:
        # Other modules' servers ask for no zone: these hosts must not take them once this module is done.
        for host in HOSTS:
            live_cloud.openstack("compute", "service", "set", "--disable", host, "nova-compute", as_json=False,
                                 check=False)
        for worker in workers:
            worker.stop()
        conductor.stop()
        for name in our_domains():  # only after a failed test: the test itself deletes its servers
            virsh("destroy", name)
            virsh("undefine", "--managed-save", name)
        shutil.rmtree(instances, ignore_errors=True)


def demo(live_cloud, *args, **kw):
    return live_cloud.openstack(*args, cloud="nebula-demo", **kw)


def wait_status(live_cloud, server, status, timeout=120):
    def reached():
        shown = demo(live_cloud, "server", "show", server)
        if shown["status"] == "ERROR" and status != "ERROR":
            raise AssertionError(f"server went to ERROR: {shown.get('fault')}\n{live_cloud.logs()[-6000:]}")
        return shown["status"] == status and shown["OS-EXT-STS:task_state"] in (None, "None", "")

    wait_for(reached, timeout, interval=0.5, what=f"{server} {status}\n{live_cloud.logs()[-6000:]}")
    return demo(live_cloud, "server", "show", server)


def console(live_cloud, server):
    return demo(live_cloud, "console", "log", "show", server, as_json=False)


def boots(live_cloud, server):
    """The last boot printed its banner and finished (the log holds every boot: QEMU appends)."""
    text = console(live_cloud, server)
    return text.count(BANNER), "boot complete" in text.rsplit(BANNER, 1)[-1]


def where(live_cloud, root, server):
    """(host, domain name, instance directory) of a server now."""
    host = live_cloud.openstack("server", "show", server)["OS-EXT-SRV-ATTR:host"]
    return host, f"nebula-{server}-{host}", root / host / server


def leftovers(root):
    """Instance directories (and kept resize copies) on any of the hosts; image caches do not count."""
    return sorted(p.name for host in root.iterdir() for p in host.iterdir() if p.name != "_base")


def test_a_real_vm_through_its_whole_life(live_cloud, libvirt_host, tmp_path):
    root = libvirt_host["instances"]
    key = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode() + " e2e@nebula"
    (tmp_path / "k.pub").write_text(key)
    demo(live_cloud, "keypair", "create", "--public-key", str(tmp_path / "k.pub"), "k")
    (tmp_path / "user-data").write_text("#!/bin/sh\necho e2e-user-data-marker\n")

    server = demo(live_cloud, "server", "create", "--flavor", "m1.nano", "--image", "cirros-nebula",
                  "--network", "private", "--key-name", "k", "--user-data", str(tmp_path / "user-data"),
                  "--availability-zone", ZONE, "--wait", "vm-real", timeout=300)
    assert server["status"] == "ACTIVE"
    sid = server["id"]
    text = console(live_cloud, sid)
    assert BANNER in text and "hostname: vm-real" in text
    assert f"ssh-key: {key}" in text and "e2e-user-data-marker" in text
    assert "config drive: found" in text
    tail = demo(live_cloud, "console", "log", "show", "--lines", "1", sid, as_json=False)
    assert tail.strip().startswith("cirros-nebula: boot complete")
    host, domain, instance_dir = where(live_cloud, root, sid)
    assert host in HOSTS and virsh("domstate", domain).stdout.strip() == "running"
    assert (instance_dir / "disk").exists() and (instance_dir / "disk.config").exists()

    for command, status, state in ((["server", "stop"], "SHUTOFF", "shut off"),
                                   (["server", "start"], "ACTIVE", "running"),
                                   (["server", "reboot"], "ACTIVE", "running"),
                                   (["server", "pause"], "PAUSED", "paused"),
                                   (["server", "unpause"], "ACTIVE", "running"),
                                   (["server", "suspend"], "SUSPENDED", "shut off"),
                                   (["server", "resume"], "ACTIVE", "running")):
        before = boots(live_cloud, sid)[0] if command[1] in ("start", "reboot") else 0
        demo(live_cloud, *command, sid, as_json=False)
        wait_status(live_cloud, sid, status)
        assert virsh("domstate", domain).stdout.strip() == state, command
        if command[1] in ("start", "reboot"):
            count, finished = boots(live_cloud, sid)
            assert count == before + 1 and finished, command

    demo(live_cloud, "server", "rebuild", "--image", "cirros-nebula", sid, timeout=300)
    wait_status(live_cloud, sid, "ACTIVE")
    # A rebuild starts from a fresh disk and a fresh console log.
    assert boots(live_cloud, sid) == (1, True)

    # A resize prefers another host: the disk is copied there and rebased on that host's image cache.
    demo(live_cloud, "server", "resize", "--flavor", "m1.micro", sid, as_json=False)
    wait_status(live_cloud, sid, "VERIFY_RESIZE", timeout=180)
    demo(live_cloud, "server", "resize", "confirm", sid, as_json=False)
    resized = wait_status(live_cloud, sid, "ACTIVE")
    assert "m1.micro" in json.dumps(resized["flavor"])
    host, domain, instance_dir = where(live_cloud, root, sid)
    assert virsh("domstate", domain).stdout.strip() == "running"
    assert "262144" in virsh("dumpxml", domain).stdout  # 256 MiB in KiB
    assert BANNER in console(live_cloud, sid)

    # Cold migration (admin) to the other host, confirmed: the source keeps nothing.
    live_cloud.openstack("server", "migrate", sid, as_json=False)
    wait_status(live_cloud, sid, "VERIFY_RESIZE", timeout=180)
    live_cloud.openstack("server", "resize", "confirm", sid, as_json=False)
    wait_status(live_cloud, sid, "ACTIVE")
    new_host, domain, instance_dir = where(live_cloud, root, sid)
    assert new_host != host and virsh("domstate", domain).stdout.strip() == "running"
    assert (instance_dir / "disk").exists()
    wait_for(lambda: leftovers(root) == [sid], 30, interval=0.5, what=f"only {sid} left: {leftovers(root)}")

    snapshot = demo(live_cloud, "server", "image", "create", "--name", "vm-real-snap", "--wait", sid, timeout=300)
    assert demo(live_cloud, "image", "show", snapshot["id"])["status"] == "active"
    clone = demo(live_cloud, "server", "create", "--flavor", "m1.nano", "--image", snapshot["id"],
                 "--network", "private", "--availability-zone", ZONE, "--wait", "vm-clone", timeout=300)
    assert clone["status"] == "ACTIVE"
    clone_text = console(live_cloud, clone["id"])
    assert BANNER in clone_text and "hostname: vm-clone" in clone_text and "boot complete" in clone_text

    for victim in (clone["id"], sid):
        demo(live_cloud, "server", "delete", "--wait", victim, as_json=False, timeout=180)
        assert not any(victim in name for name in our_domains())
        assert not any(victim in name for name in leftovers(root))
    assert our_domains() == [] and leftovers(root) == []
