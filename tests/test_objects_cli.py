"""python-swiftclient's `swift` and the `openstack` CLI against a live Nebula's object store."""

import hashlib
import os
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

from core.testing.live import ADMIN_PASSWORD
from core.testing.processes import venv_tool

pytestmark = [pytest.mark.e2e]


def swift(live_cloud, *args, check=True, cwd=None):
    env = live_cloud.client_env()
    env.update({"OS_AUTH_URL": f"{live_cloud.url}/identity/v3", "OS_USERNAME": "admin",
                "OS_PASSWORD": ADMIN_PASSWORD, "OS_PROJECT_NAME": "admin", "OS_USER_DOMAIN_NAME": "Default",
                "OS_PROJECT_DOMAIN_NAME": "Default", "OS_IDENTITY_API_VERSION": "3", "ST_AUTH_VERSION": "3"})
    result = subprocess.run([venv_tool("swift"), "--auth-version", "3", *args], env=env, cwd=cwd,
                            capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"swift {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}\n"
                             f"{live_cloud.logs()[-3000:]}")
    return result


def test_swift_cli_round_trip(live_cloud, tmp_path):
    src = tmp_path / "src"
    (src / "docs" / "deep").mkdir(parents=True)
    (src / "top.txt").write_bytes(b"top level\n")
    (src / "docs" / "a.txt").write_bytes(os.urandom(3000))
    (src / "docs" / "deep" / "b.bin").write_bytes(os.urandom(70000))
    swift(live_cloud, "upload", "cli", "top.txt", "docs", cwd=src)

    listing = swift(live_cloud, "list", "cli").stdout.split()
    assert listing == ["docs/a.txt", "docs/deep/b.bin", "top.txt"]
    assert swift(live_cloud, "list", "cli", "--delimiter", "/").stdout.split() == ["docs/", "top.txt"]
    assert swift(live_cloud, "list", "cli", "--prefix", "docs/", "--delimiter", "/").stdout.split() == \
        ["docs/a.txt", "docs/deep/"]

    stat = swift(live_cloud, "stat").stdout
    assert "Containers: 1" in stat and "Objects: 3" in stat
    stat = swift(live_cloud, "stat", "cli", "docs/a.txt").stdout
    assert "Content Length: 3000" in stat

    swift(live_cloud, "post", "-m", "color:blue", "cli", "docs/a.txt")
    assert "Color: blue" in swift(live_cloud, "stat", "cli", "docs/a.txt").stdout
    swift(live_cloud, "copy", "-d", "/cli/copied.txt", "cli", "docs/a.txt")

    out = tmp_path / "out"
    out.mkdir()
    swift(live_cloud, "download", "cli", cwd=out)
    for rel in ("top.txt", "docs/a.txt", "docs/deep/b.bin"):
        assert (out / rel).read_bytes() == (src / rel).read_bytes()
    assert (out / "copied.txt").read_bytes() == (src / "docs" / "a.txt").read_bytes()

    swift(live_cloud, "delete", "cli", "top.txt")
    assert "top.txt" not in swift(live_cloud, "list", "cli").stdout.split()
    swift(live_cloud, "delete", "cli")
    assert "cli" not in swift(live_cloud, "list").stdout.split()


def test_listing_pages_with_marker(live_cloud, tmp_path):
    # swiftclient pages with marker until an empty page; a page size of 3 forces several pages.
    for index in range(7):
        (tmp_path / f"f{index}").write_bytes(b"x" * index)
    swift(live_cloud, "upload", "paged", *[f"f{i}" for i in range(7)], cwd=tmp_path)
    from swiftclient.client import Connection

    conn = Connection(authurl=f"{live_cloud.url}/identity/v3", user="admin", key=ADMIN_PASSWORD,
                      auth_version="3", os_options={"project_name": "admin", "user_domain_name": "Default",
                                                    "project_domain_name": "Default"})
    names, marker, pages = [], "", 0
    while True:
        _headers, page = conn.get_container("paged", limit=3, marker=marker)
        pages += 1
        if not page:
            break
        names += [o["name"] for o in page]
        marker = page[-1]["name"]
    assert names == [f"f{i}" for i in range(7)] and pages == 4
    assert swift(live_cloud, "list", "paged").stdout.split() == [f"f{i}" for i in range(7)]


def test_slo_upload_downloads_whole(live_cloud, tmp_path):
    data = os.urandom(5 * 100_000 + 123)
    (tmp_path / "big.bin").write_bytes(data)
    swift(live_cloud, "upload", "--use-slo", "-S", "100000", "slo", "big.bin", cwd=tmp_path)
    stat = swift(live_cloud, "stat", "slo", "big.bin").stdout
    assert f"Content Length: {len(data)}" in stat
    out = tmp_path / "out"
    out.mkdir()
    swift(live_cloud, "download", "slo", "big.bin", cwd=out)
    assert hashlib.md5((out / "big.bin").read_bytes()).hexdigest() == hashlib.md5(data).hexdigest()
    segments = swift(live_cloud, "list", "slo_segments").stdout.split()
    assert len(segments) == 6
    swift(live_cloud, "delete", "slo", "big.bin")
    assert swift(live_cloud, "list", "slo_segments", check=False).stdout.split() == []


def test_openstack_container_and_object(live_cloud, tmp_path):
    created = live_cloud.openstack("container", "create", "osc")
    assert created[0]["container"] == "osc"
    path = tmp_path / "hello.txt"
    path.write_bytes(b"hello from openstack\n")
    obj = live_cloud.openstack("object", "create", "osc", str(path))
    assert obj[0]["etag"] == hashlib.md5(b"hello from openstack\n").hexdigest()
    listing = live_cloud.openstack("object", "list", "osc")
    assert [o["Name"] for o in listing] == [str(path)]
    saved = tmp_path / "saved.txt"
    live_cloud.openstack("object", "save", "--file", str(saved), "osc", str(path), as_json=False)
    assert saved.read_bytes() == b"hello from openstack\n"
    shown = live_cloud.openstack("container", "show", "osc")
    assert int(shown["object_count"]) == 1


def _worker_pids(live_cloud):
    web = next(p for p in live_cloud.processes if p.name == "web")
    master = web.popen.pid
    children = open(f"/proc/{master}/task/{master}/children").read().split()
    return [int(pid) for pid in children] or [master]


def _rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def test_one_gib_round_trip_keeps_server_memory_flat(live_cloud):
    import threading

    import requests

    mib = int(os.environ.get("NEBULA_OBJECT_BIG_TEST_MIB", "1024"))
    auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "domain": {"id": "default"}, "password": ADMIN_PASSWORD}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    response = requests.post(f"{live_cloud.url}/identity/v3/auth/tokens", json=auth, timeout=30)
    token = response.headers["X-Subject-Token"]
    endpoint = next(e["url"] for s in response.json()["token"]["catalog"] if s["type"] == "object-store"
                    for e in s["endpoints"] if e["interface"] == "public")
    headers = {"X-Auth-Token": token}
    assert requests.put(f"{endpoint}/big", headers=headers, timeout=30).status_code in (201, 202)
    requests.put(f"{endpoint}/big/warmup", data=b"x" * 4096, headers=headers, timeout=30)
    pids = _worker_pids(live_cloud)
    baseline = max(_rss_kib(pid) for pid in pids)
    peak = [baseline]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], *(_rss_kib(pid) for pid in pids))
            time.sleep(0.1)

    base = os.urandom(1024 * 1024)
    sent = hashlib.md5()

    def body():
        for index in range(mib):
            chunk = index.to_bytes(8, "big") + base[8:]
            sent.update(chunk)
            yield chunk


    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        put = requests.put(f"{endpoint}/big/blob", data=body(), headers=headers, timeout=600)
        assert put.status_code == 201, put.text
        assert put.headers["Etag"] == sent.hexdigest()
        received = hashlib.md5()
        size = 0
        with requests.get(f"{endpoint}/big/blob", headers=headers, stream=True, timeout=600) as get:
            assert get.status_code == 200
            for chunk in get.iter_content(1024 * 1024):
                received.update(chunk)
                size += len(chunk)
    finally:
        done.set()
        sampler.join()
    assert size == mib * 1024 * 1024
    assert received.hexdigest() == sent.hexdigest()
    growth_mib = (peak[0] - baseline) / 1024
    print(f"\n{mib} MiB round trip: gunicorn RSS {baseline / 1024:.0f} MiB -> peak {peak[0] / 1024:.0f} MiB")
    assert growth_mib < 48, f"server RSS grew by {growth_mib:.1f} MiB during a {mib} MiB round trip"
    assert requests.delete(f"{endpoint}/big/blob", headers=headers, timeout=60).status_code == 204


def test_replication_task_on_the_celery_worker_refills_a_wiped_device(live_cloud, tmp_path):
    import shutil

    (tmp_path / "keep.txt").write_bytes(b"keep me\n" * 100)
    swift(live_cloud, "upload", "repl", "keep.txt", cwd=tmp_path)
    devices = live_cloud.state_dir / "objects"

    def copies():
        return sum(1 for d in sorted(devices.glob("d*")) for _ in (d / "objects").rglob("*.data")
                   if (d / "objects").is_dir())

    before = copies()
    assert before >= 3
    wiped = next(d for d in sorted(devices.glob("d*")) if (d / "objects").is_dir() and
                 any((d / "objects").rglob("*.data")))
    shutil.rmtree(wiped)
    wiped.mkdir()
    assert copies() < before
    subprocess.run([venv_tool("celery"), "-A", "cloud", "call", "storage.objects.tasks.replicate"],
                   env=live_cloud.env, cwd=str(Path(__file__).resolve().parent.parent), check=True,
                   capture_output=True, timeout=60)
    deadline = time.time() + 60
    while copies() < before and time.time() < deadline:
        time.sleep(0.2)
    assert copies() == before, live_cloud.logs()[-6000:]
    out = tmp_path / "out"
    out.mkdir()
    swift(live_cloud, "download", "repl", "keep.txt", cwd=out)
    assert (out / "keep.txt").read_bytes() == b"keep me\n" * 100


def test_chunked_uploads_honour_etag_and_quota(live_cloud):
    import requests

    auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "domain": {"id": "default"}, "password": ADMIN_PASSWORD}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    response = requests.post(f"{live_cloud.url}/identity/v3/auth/tokens", json=auth, timeout=30)
    headers = {"X-Auth-Token": response.headers["X-Subject-Token"]}
    endpoint = next(e["url"] for s in response.json()["token"]["catalog"] if s["type"] == "object-store"
                    for e in s["endpoints"] if e["interface"] == "public")
    requests.put(f"{endpoint}/chunky", headers={**headers, "X-Container-Meta-Quota-Bytes": "100000"}, timeout=30)

    def chunks(count, size=10000):
        for index in range(count):
            yield bytes([index % 256]) * size

    data = b"".join(chunks(5))
    ok = requests.put(f"{endpoint}/chunky/ok", data=chunks(5), timeout=60,
                      headers={**headers, "Etag": hashlib.md5(data).hexdigest()})
    assert ok.status_code == 201 and ok.headers["Etag"] == hashlib.md5(data).hexdigest()
    bad = requests.put(f"{endpoint}/chunky/bad", data=chunks(2), timeout=60, headers={**headers, "Etag": "0" * 32})
    assert bad.status_code == 422
    over = requests.put(f"{endpoint}/chunky/over", data=chunks(10), timeout=60, headers=headers)
    assert over.status_code == 413
    listing = requests.get(f"{endpoint}/chunky?format=json", headers=headers, timeout=30).json()
    assert [o["name"] for o in listing] == ["ok"]


def test_swift_tempurl_and_public_container(live_cloud, tmp_path):
    import urllib.error
    import urllib.request

    (tmp_path / "shared.txt").write_bytes(b"for anyone with the link\n")
    swift(live_cloud, "upload", "links", "shared.txt", cwd=tmp_path)
    swift(live_cloud, "post", "-m", "Temp-URL-Key:sekrit")
    storage_url = swift(live_cloud, "auth").stdout.split("OS_STORAGE_URL=")[1].split()[0]
    path = urllib.parse.urlparse(storage_url).path + "/links/shared.txt"
    signed = swift(live_cloud, "tempurl", "GET", "60", path, "sekrit").stdout.strip()
    with urllib.request.urlopen(live_cloud.url + signed, timeout=10) as response:
        assert response.read() == b"for anyone with the link\n"
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(live_cloud.url + path, timeout=10)
    assert denied.value.code == 401
    swift(live_cloud, "post", "-r", ".r:*", "links")
    with urllib.request.urlopen(live_cloud.url + path, timeout=10) as response:
        assert response.read() == b"for anyone with the link\n"
