"""The real `openstack image` commands (and an interrupted raw upload) against a live Nebula."""

import hashlib
import http.client
import json
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]


@pytest.fixture(scope="module")
def qcow2_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("img") / "disk.qcow2"
    raw = path.with_suffix(".raw")
    # Some non-zero content so the qcow2 carries real clusters.
    raw.write_bytes(b"\0" * 4096 + bytes(range(256)) * 4096)
    subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "qcow2", str(raw), str(path)], check=True)
    subprocess.run(["qemu-img", "resize", "-q", str(path), "64M"], check=True)
    return path


def _token_and_image_url(live_cloud, cloud="nebula-admin"):
    token = live_cloud.openstack("token", "issue", cloud=cloud)
    return token["id"], f"{live_cloud.url}/image/v2"


def test_image_lifecycle_with_the_cli(live_cloud, qcow2_file, tmp_path):
    data = qcow2_file.read_bytes()
    created = live_cloud.openstack("image", "create", "--file", str(qcow2_file), "--disk-format", "qcow2",
                                   "--container-format", "bare", "--property", "os_distro=nebula",
                                   "cli-image")
    assert created["status"] == "active"
    assert created["checksum"] == hashlib.md5(data).hexdigest()
    shown = live_cloud.openstack("image", "show", "cli-image")
    assert shown["id"] == created["id"]
    assert shown["size"] == len(data) and shown["virtual_size"] == 64 * 1024 * 1024
    # The CLI files the hash under properties.
    assert shown["properties"]["os_hash_algo"] == "sha512"
    assert shown["properties"]["os_hash_value"] == hashlib.sha512(data).hexdigest()
    assert shown["properties"]["os_distro"] == "nebula"

    saved = tmp_path / "saved.qcow2"
    live_cloud.openstack("image", "save", "--file", str(saved), "cli-image", as_json=False)
    assert saved.read_bytes() == data

    names = [row["Name"] for row in live_cloud.openstack("image", "list")]
    assert "cli-image" in names

    live_cloud.openstack("image", "set", "--property", "hw_disk_bus=virtio", "--tag", "golden", "cli-image",
                         as_json=False)
    shown = live_cloud.openstack("image", "show", "cli-image")
    assert shown["properties"]["hw_disk_bus"] == "virtio" and "golden" in shown["tags"]
    tagged = live_cloud.openstack("image", "list", "--tag", "golden")
    assert [row["Name"] for row in tagged] == ["cli-image"]

    live_cloud.openstack("image", "delete", "cli-image", as_json=False)
    result = live_cloud.openstack("image", "show", created["id"], check=False)
    assert result.returncode != 0


def test_share_with_one_project(live_cloud, qcow2_file):
    live_cloud.openstack("project", "create", "--domain", "default", "imgthird")
    live_cloud.openstack("user", "create", "--domain", "default", "--project", "imgthird", "--password",
                         "third-pw", "imgthird")
    live_cloud.openstack("role", "add", "--project", "imgthird", "--user", "imgthird", "member", as_json=False)
    third_env = {"OS_CLOUD": "", "OS_AUTH_URL": f"{live_cloud.url}/identity", "OS_USERNAME": "imgthird",
                 "OS_PASSWORD": "third-pw", "OS_PROJECT_NAME": "imgthird", "OS_USER_DOMAIN_ID": "default",
                 "OS_PROJECT_DOMAIN_ID": "default", "OS_IDENTITY_API_VERSION": "3"}

    image = live_cloud.openstack("image", "create", "--file", str(qcow2_file), "--disk-format", "qcow2",
                                 "--container-format", "bare", "--shared", "shared-cli", cloud="nebula-demo")
    demo_project = live_cloud.openstack("token", "issue", cloud="nebula-demo")["project_id"]
    admin_project = live_cloud.openstack("project", "show", "admin")["id"]
    member = live_cloud.openstack("image", "add", "project", image["id"], admin_project, cloud="nebula-demo")
    assert member["status"] == "pending"
    live_cloud.openstack("image", "set", "--accept", image["id"], as_json=False)
    members = live_cloud.openstack("image", "member", "list", image["id"], cloud="nebula-demo")
    assert [(m["Member ID"], m["Status"]) for m in members] == [(admin_project, "accepted")]

    # The third project sees it neither by id nor in its list.
    result = live_cloud.openstack("image", "show", image["id"], cloud="", env=third_env, check=False)
    assert result.returncode != 0
    listed = live_cloud.openstack("image", "list", cloud="", env=third_env)
    assert image["id"] not in [row["ID"] for row in listed]
    assert image["owner"] == demo_project


def test_interrupted_upload_leaves_no_image_and_no_file(live_cloud):
    token, base = _token_and_image_url(live_cloud, cloud="nebula-demo")
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("POST", f"{url.path}/images", body=json.dumps({
        "name": "interrupted", "disk_format": "raw", "container_format": "bare"}),
        headers={"X-Auth-Token": token, "Content-Type": "application/json"})
    image = json.loads(conn.getresponse().read())
    conn.close()

    # Promise 8 MiB, send 1 MiB, hang up.
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.putrequest("PUT", f"{url.path}/images/{image['id']}/file")
    conn.putheader("X-Auth-Token", token)
    conn.putheader("Content-Type", "application/octet-stream")
    conn.putheader("Content-Length", str(8 * 1024 * 1024))
    conn.endheaders()
    conn.send(b"x" * 1024 * 1024)
    conn.sock.close()

    store = Path(live_cloud.state_dir) / "images"
    deadline = time.monotonic() + 20
    status = None
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        conn.request("GET", f"{url.path}/images/{image['id']}", headers={"X-Auth-Token": token})
        status = json.loads(conn.getresponse().read())["status"]
        conn.close()
        if status not in ("queued", "saving"):
            break
        time.sleep(0.2)
    assert status == "killed"
    leftovers = [p.name for p in store.iterdir() if image["id"] in p.name or p.name.startswith(".staging")] \
        if store.exists() else []
    assert leftovers == []


def test_upload_streams_without_growing_the_server(live_cloud):
    """256 MiB of generated data through gunicorn: the worker's RSS stays within a few tens of MiB
    (bench/images.py shows the same for 1 GiB)."""
    from core.testing.memory import PeakSampler, children, rss_kib

    token, base = _token_and_image_url(live_cloud, cloud="nebula-demo")
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    conn.request("POST", f"{url.path}/images", body=json.dumps({
        "name": "big", "disk_format": "raw", "container_format": "bare"}),
        headers={"X-Auth-Token": token, "Content-Type": "application/json"})
    image = json.loads(conn.getresponse().read())
    web = next(p for p in live_cloud.processes if p.name == "web")
    workers = children(web.popen.pid)
    baseline = sum(rss_kib(pid) for pid in workers)

    total, block = 256 * 1024 * 1024, bytes(range(256)) * 4096
    digest = hashlib.md5()
    with PeakSampler(workers) as sampler:
        conn.putrequest("PUT", f"{url.path}/images/{image['id']}/file")
        conn.putheader("X-Auth-Token", token)
        conn.putheader("Content-Type", "application/octet-stream")
        conn.putheader("Content-Length", str(total))
        conn.endheaders()
        for _ in range(total // len(block)):
            conn.send(block)
            digest.update(block)
        response = conn.getresponse()
        response.read()
    assert response.status == 204
    growth_mib = (sampler.peak - baseline) / 1024
    assert growth_mib < 48, f"web worker grew by {growth_mib:.1f} MiB during a 256 MiB upload"
    conn.request("GET", f"{url.path}/images/{image['id']}", headers={"X-Auth-Token": token})
    shown = json.loads(conn.getresponse().read())
    assert shown["status"] == "active" and shown["size"] == total and shown["checksum"] == digest.hexdigest()
    conn.request("DELETE", f"{url.path}/images/{image['id']}", headers={"X-Auth-Token": token})
    assert conn.getresponse().status == 204
    conn.close()


def test_bootstrap_registered_the_bootable_image(live_cloud):
    images = {row["Name"]: row for row in live_cloud.openstack("image", "list", "--public", cloud="nebula-demo")}
    if "cirros-nebula" not in images:
        pytest.skip("the bootstrap could not download Debian packages on this machine")
    disk = live_cloud.openstack("image", "show", "cirros-nebula", cloud="nebula-demo")
    kernel = live_cloud.openstack("image", "show", disk["properties"]["kernel_id"], cloud="nebula-demo")
    ramdisk = live_cloud.openstack("image", "show", disk["properties"]["ramdisk_id"], cloud="nebula-demo")
    assert (disk["disk_format"], kernel["disk_format"], ramdisk["disk_format"]) == ("qcow2", "aki", "ari")
    assert {disk["status"], kernel["status"], ramdisk["status"]} == {"active"}


def test_create_from_stdin_uses_a_chunked_upload(live_cloud, tmp_path):
    """Data piped into the CLI has no length: the client sends it chunked, the server still streams it."""
    from core.testing.processes import venv_tool

    data = bytes(range(256)) * 12000 + b"end"
    result = subprocess.run([venv_tool("openstack"), "--os-cloud", "nebula-demo", "image", "create",
                             "--disk-format", "raw", "--container-format", "bare", "from-stdin", "-f", "json"],
                            input=data, env=live_cloud.client_env(), capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    image = json.loads(result.stdout)
    assert image["status"] == "active" and image["size"] == len(data)
    assert image["checksum"] == hashlib.md5(data).hexdigest()
