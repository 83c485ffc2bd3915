"""The real `openstack volume …` commands against a live Nebula with the volume scheduler, a backup
worker and two `file` back end workers (real qemu-img files), plus the object store for backups."""

import hashlib
import json
import subprocess
import time
import urllib.request

import pytest

from core.testing.processes import wait_for

pytestmark = [pytest.mark.e2e]
HOST = "e2e-vol"


@pytest.fixture(scope="module")
def volumes(live_cloud, tmp_path_factory):
    root = tmp_path_factory.mktemp("volumes")
    env = {"NEBULA_VOLUME_HOST": HOST, "NEBULA_VOLUME_REPORT_INTERVAL": "1",
           "NEBULA_VOLUME_BACKENDS": f"file-a=file:{root / 'a'},file-b=file:{root / 'b'}"}
    live_cloud.start_worker("e2e-volume-scheduler", "volume-scheduler,volume-backup", extra_env=env)
    for backend in ("file-a", "file-b"):
        live_cloud.start_worker(f"e2e-{backend}", f"volume.{HOST}@{backend}", extra_env=env)

    def both_up():
        rows = live_cloud.openstack("volume", "service", "list")
        up = {r["Host"] for r in rows if r["State"] == "up" and r["Binary"] == "cinder-volume"}
        return up >= {f"{HOST}@file-a", f"{HOST}@file-b"}

    wait_for(both_up, 60, interval=1, what=f"both volume back ends up\n{live_cloud.logs()[-4000:]}")
    # Volumes whose bytes the tests read are steered to this module's back ends (other modules' back ends
    # may be up in the same session).
    for backend in ("file-a", "file-b"):
        live_cloud.openstack("volume", "type", "create", "--property", f"volume_backend_name={backend}",
                             f"type-{backend}")
    return {"root": root}


def demo(live_cloud, *args, **kw):
    return live_cloud.openstack(*args, cloud="nebula-demo", **kw)


_tokens = {}


def _get(live_cloud, path, cloud="nebula-demo"):
    if cloud not in _tokens:
        _tokens[cloud] = live_cloud.openstack("token", "issue", cloud=cloud)
    token = _tokens[cloud]
    request = urllib.request.Request(f"{live_cloud.url}/volume/v3/{token['project_id']}{path}",
                                     headers={"X-Auth-Token": token["id"]})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def wait_resource(live_cloud, collection, key, object_id, status, timeout=60, cloud="nebula-demo"):
    """The resource's body once it reaches `status`; fails at once on an error state."""
    deadline = time.monotonic() + timeout
    shown = None
    while time.monotonic() < deadline:
        shown = _get(live_cloud, f"/{collection}/{object_id}", cloud)[key]
        if shown["status"] == status:
            return shown
        if shown["status"].startswith("error"):
            break
        time.sleep(0.2)
    raise AssertionError(f"{key} {object_id} did not reach {status}: {shown}\n{live_cloud.logs()[-6000:]}")


def wait_volume(live_cloud, volume_id, status, timeout=60, cloud="nebula-demo"):
    return wait_resource(live_cloud, "volumes", "volume", volume_id, status, timeout, cloud)


def file_of(live_cloud, volume_id):
    shown = live_cloud.openstack("volume", "show", volume_id)
    host = shown["os-vol-host-attr:host"]
    backend = host.split("@")[1].split("#")[0]
    return host, backend


def raw_bytes(volumes, backend, volume_id):
    path = volumes["root"] / backend[-1] / f"volume-{volume_id}.qcow2"
    out = path.parent / f"{volume_id}.raw"
    subprocess.run(["qemu-img", "convert", "-U", "-O", "raw", str(path), str(out)], check=True)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    out.unlink()
    return digest


def write_marker(volumes, backend, volume_id, data, offset=0):
    """Write bytes into a (detached) volume through qemu-io, as a guest would."""
    path = volumes["root"] / backend[-1] / f"volume-{volume_id}.qcow2"
    src = path.parent / "marker.bin"
    src.write_bytes(data)
    raw = path.parent / "work.raw"
    subprocess.run(["qemu-img", "convert", "-O", "raw", str(path), str(raw)], check=True)
    with open(raw, "r+b") as handle:
        handle.seek(offset)
        handle.write(data)
    subprocess.run(["qemu-img", "convert", "-n", "-f", "raw", "-O", "qcow2", str(raw), str(path)], check=True)
    raw.unlink()
    src.unlink()


def test_create_list_show_delete(live_cloud, volumes):
    created = demo(live_cloud, "volume", "create", "--size", "1", "e2e-v1")
    assert created["status"] == "creating" and created["bootable"] is False  # the sdk parses the string "false"
    shown = wait_volume(live_cloud, created["id"], "available")
    assert shown["size"] == 1 and shown["volume_type"] == "__DEFAULT__"
    listed = demo(live_cloud, "volume", "list")
    assert [r["Name"] for r in listed if r["ID"] == created["id"]] == ["e2e-v1"]
    assert demo(live_cloud, "volume", "show", "e2e-v1")["id"] == created["id"]
    demo(live_cloud, "volume", "delete", "e2e-v1", as_json=False)
    wait_for(lambda: all(r["ID"] != created["id"] for r in demo(live_cloud, "volume", "list")), 30, interval=0.3,
             what="volume gone")


def test_type_steers_to_backend_and_extend(live_cloud, volumes):
    for backend in ("file-a", "file-b"):
        created = demo(live_cloud, "volume", "create", "--size", "1", "--type", f"type-{backend}", f"on-{backend}")
        wait_volume(live_cloud, created["id"], "available")
        host, on = file_of(live_cloud, created["id"])
        assert on == backend and host == f"{HOST}@{backend}#{backend}"
    demo(live_cloud, "volume", "set", "--size", "2", "on-file-a", as_json=False)
    wait_for(lambda: demo(live_cloud, "volume", "show", "on-file-a")["size"] == 2, 30, interval=0.3, what="extended")
    pools = live_cloud.openstack("volume", "backend", "pool", "list", "--long")
    names = {p["Name"] for p in pools}
    assert {f"{HOST}@file-a#file-a", f"{HOST}@file-b#file-b"} <= names


def test_snapshot_source_and_image_variants(live_cloud, volumes, tmp_path):
    base = demo(live_cloud, "volume", "create", "--size", "1", "--type", "type-file-a", "src-vol")
    wait_volume(live_cloud, base["id"], "available")
    _, backend = file_of(live_cloud, base["id"])
    write_marker(volumes, backend, base["id"], b"nebula-marker-" * 100, offset=4096)
    digest = raw_bytes(volumes, backend, base["id"])

    snap = demo(live_cloud, "volume", "snapshot", "create", "--volume", "src-vol", "snap1")
    wait_resource(live_cloud, "snapshots", "snapshot", snap["id"], "available")
    from_snap = demo(live_cloud, "volume", "create", "--snapshot", "snap1", "from-snap")
    wait_volume(live_cloud, from_snap["id"], "available")
    clone = demo(live_cloud, "volume", "create", "--source", "src-vol", "--size", "1", "clone")
    wait_volume(live_cloud, clone["id"], "available")
    assert raw_bytes(volumes, backend, from_snap["id"]) == digest
    assert raw_bytes(volumes, backend, clone["id"]) == digest

    image_file = tmp_path / "disk.raw"
    image_file.write_bytes(b"bootable-image-data" * 1000)
    live_cloud.openstack("image", "create", "--file", str(image_file), "--disk-format", "raw",
                         "--container-format", "bare", "--public", "vol-image")
    from_image = demo(live_cloud, "volume", "create", "--image", "vol-image", "--size", "1", "--type", "type-file-b",
                      "from-image")
    shown = wait_volume(live_cloud, from_image["id"], "available")
    assert shown["bootable"] == "true" and shown["volume_image_metadata"]["image_name"] == "vol-image"
    _, image_backend = file_of(live_cloud, from_image["id"])
    padded = image_file.read_bytes() + b"\0" * (1024 ** 3 - image_file.stat().st_size)
    assert raw_bytes(volumes, image_backend, from_image["id"]) == hashlib.sha256(padded).hexdigest()

    # And back: the volume uploaded to a new image holds the volume's bytes.
    uploaded = demo(live_cloud, "image", "create", "--volume", "from-image", "--disk-format", "raw", "vol-upload")
    image_id = uploaded.get("image_id") or uploaded.get("id")
    deadline = time.monotonic() + 60
    while demo(live_cloud, "image", "show", image_id)["status"] != "active" and time.monotonic() < deadline:
        time.sleep(0.5)
    saved = tmp_path / "saved.raw"
    demo(live_cloud, "image", "save", "--file", str(saved), image_id, as_json=False)
    digest = hashlib.sha256()
    with open(saved, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            digest.update(block)
    assert digest.hexdigest() == hashlib.sha256(padded).hexdigest()
    wait_volume(live_cloud, from_image["id"], "available")


def test_backup_incremental_and_restore_give_the_same_bytes(live_cloud, volumes):
    vol = demo(live_cloud, "volume", "create", "--size", "1", "--type", "type-file-b", "bk-vol")
    wait_volume(live_cloud, vol["id"], "available")
    _, backend = file_of(live_cloud, vol["id"])
    write_marker(volumes, backend, vol["id"], b"first-" * 1000)
    first = raw_bytes(volumes, backend, vol["id"])
    full = demo(live_cloud, "volume", "backup", "create", "--name", "full", "bk-vol")
    full_shown = wait_resource(live_cloud, "backups", "backup", full["id"], "available", timeout=120)
    assert full_shown["is_incremental"] is False

    write_marker(volumes, backend, vol["id"], b"second-" * 1000, offset=512 * 1024 * 1024)
    second = raw_bytes(volumes, backend, vol["id"])
    incr = demo(live_cloud, "volume", "backup", "create", "--incremental", "--name", "incr", "bk-vol")
    incr_shown = wait_resource(live_cloud, "backups", "backup", incr["id"], "available", timeout=120)
    assert incr_shown["is_incremental"] is True
    assert incr_shown["object_count"] < full_shown["object_count"]

    # Restore the full backup onto the volume itself, then the incremental to a new volume.
    demo(live_cloud, "volume", "backup", "restore", "--force", "full", "bk-vol", as_json=False)
    wait_volume(live_cloud, vol["id"], "available", timeout=120)
    wait_resource(live_cloud, "backups", "backup", full["id"], "available")
    assert raw_bytes(volumes, backend, vol["id"]) == first
    restored = demo(live_cloud, "volume", "backup", "restore", "incr", "restored-incr")
    restored_id = restored["volume_id"]
    wait_volume(live_cloud, restored_id, "available", timeout=120)
    _, restored_backend = file_of(live_cloud, restored_id)
    assert raw_bytes(volumes, restored_backend, restored_id) == second
    refused = demo(live_cloud, "volume", "backup", "delete", "full", as_json=False, check=False)
    assert refused.returncode != 0
    demo(live_cloud, "volume", "backup", "delete", "incr", as_json=False)


def test_quota_refuses(live_cloud, volumes):
    project = live_cloud.openstack("project", "show", "demo")["id"]
    live_cloud.openstack("quota", "set", "--volumes", "30", "--gigabytes", "20", project, as_json=False)
    refused = demo(live_cloud, "volume", "create", "--size", "50", "too-big", as_json=False, check=False)
    assert refused.returncode != 0 and ("413" in refused.stderr or "xceeded" in refused.stderr)
    assert not [r for r in demo(live_cloud, "volume", "list") if r["Name"] == "too-big"]


def test_server_add_and_remove_volume(live_cloud, volumes, tmp_path):
    """Nova's side: the server's (fake, database-less) host attaches the volume's file as a disk."""
    from core.testing.processes import wait_for as wait

    compute_host = "e2e-vol-compute"
    live_cloud.start_worker("e2e-vol-conductor", "conductor")
    live_cloud.start_worker(f"{compute_host}-worker", f"compute.{compute_host}", extra_env={
        "NEBULA_ROLE": "compute", "NEBULA_COMPUTE_HOST": compute_host, "NEBULA_COMPUTE_REPORT_INTERVAL": "1",
        "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:1/no_database"})
    wait(lambda: any(r["Host"] == compute_host and r["State"] == "up"
                     for r in live_cloud.openstack("compute", "service", "list")), 60, interval=1,
         what="compute host up")
    image_file = tmp_path / "tiny.raw"
    image_file.write_bytes(b"\0" * 65536)
    live_cloud.openstack("image", "create", "--file", str(image_file), "--disk-format", "raw",
                         "--container-format", "bare", "--public", "vol-e2e-tiny")
    server = demo(live_cloud, "server", "create", "--flavor", "m1.nano", "--image", "vol-e2e-tiny", "--network",
                  "private", "--wait", "vol-vm", timeout=180)
    assert server["status"] == "ACTIVE"
    vol = demo(live_cloud, "volume", "create", "--size", "1", "attach-me")
    wait_volume(live_cloud, vol["id"], "available")
    demo(live_cloud, "server", "add", "volume", server["id"], "attach-me", as_json=False)
    shown = wait_volume(live_cloud, vol["id"], "in-use")
    assert shown["attachments"][0]["server_id"] == server["id"]
    assert shown["attachments"][0]["device"] == "/dev/vdc"
    listed = demo(live_cloud, "server", "show", server["id"])
    assert vol["id"] in json.dumps(listed["volumes_attached"])
    refused = demo(live_cloud, "volume", "delete", "attach-me", as_json=False, check=False)
    assert refused.returncode != 0
    demo(live_cloud, "server", "remove", "volume", server["id"], "attach-me", as_json=False)
    shown = wait_volume(live_cloud, vol["id"], "available")
    assert shown["attachments"] == []


def test_backend_worker_dying_mid_create_leaves_error_with_a_reason(live_cloud, volumes):
    """Kill -9 a back end worker while it creates a volume: the reaper fails the volume with a reason."""
    import os
    import signal

    from celery import Celery

    env = {"NEBULA_VOLUME_HOST": HOST, "NEBULA_VOLUME_REPORT_INTERVAL": "1",
           "NEBULA_VOLUME_BACKENDS": "slow=fake:1", "NEBULA_FAKE_VOLUME_DELAY": "120"}
    worker = live_cloud.start_worker("e2e-slow-backend", f"volume.{HOST}@slow", extra_env=env)
    live_cloud.start_worker("e2e-volume-reaper", "e2e-volume-reaper", extra_env={"NEBULA_VOLUME_CREATE_TIMEOUT": "2"})
    from core.testing.processes import wait_for as wait

    wait(lambda: any(p["Name"] == f"{HOST}@slow#slow" for p in live_cloud.openstack("volume", "backend", "pool",
                                                                                     "list")),
         60, interval=1, what="slow back end reporting")
    live_cloud.openstack("volume", "type", "create", "--property", "volume_backend_name=slow", "slow")
    created = demo(live_cloud, "volume", "create", "--size", "1", "--type", "slow", "doomed")
    wait(lambda: "storage.volumes.volume.create_volume[" in worker.tail(200) and "received" in worker.tail(200),
         30, interval=0.2, what=f"the slow back end received the create\n{live_cloud.logs()[-5000:]}")
    os.killpg(worker.popen.pid, signal.SIGKILL)  # our own worker: dies mid-create
    worker.popen.wait(10)
    assert _get(live_cloud, f"/volumes/{created['id']}")["volume"]["status"] == "creating"
    live_cloud.openstack("volume", "service", "set", "--disable", f"{HOST}@slow", "cinder-volume", as_json=False)

    reaper = Celery(broker=live_cloud.env["CELERY_BROKER_URL"])
    deadline = time.monotonic() + 30
    shown = None
    while time.monotonic() < deadline:
        reaper.send_task("storage.volumes.tasks.reap_stuck", queue="e2e-volume-reaper")
        time.sleep(1)
        shown = _get(live_cloud, f"/volumes/{created['id']}")["volume"]
        if shown["status"] != "creating":
            break
    assert shown["status"] == "error", shown
    messages = demo(live_cloud, "--os-volume-api-version", "3.3", "volume", "message", "list")
    reasons = [m for m in messages if m.get("Resource UUID") == created["id"]]
    assert reasons and "Timed out" in reasons[0]["User Message"], messages
