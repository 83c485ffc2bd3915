"""python-swiftclient's `swift` and the `openstack` CLI against a live Nebula's object store."""

import hashlib
import json
import os
import subprocess

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
