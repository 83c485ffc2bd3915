"""The image store on Nebula's object store (storage.objects): a real ring of local devices."""

import hashlib
import io
import subprocess

import pytest

from core.exceptions import BadRequest
from storage.images import services
from storage.images.stores.base import StoreFull
from storage.images.stores.objects import ACCOUNT, CONTAINER, ObjectStore

pytestmark = pytest.mark.django_db


@pytest.fixture
def object_ring(settings, tmp_path):
    from storage.objects import bootstrap, ring

    settings.OBJECT_DEVICES_DIR = str(tmp_path / "objects")
    bootstrap.run(None, {})
    yield
    ring._cache.clear()


def object_names():
    from storage.objects.models import ObjectRecord

    return sorted(ObjectRecord.objects.filter(container__project_id=ACCOUNT, container__name=CONTAINER)
                  .values_list("name", flat=True))


def test_stage_commit_open_seek_delete(object_ring):
    store = ObjectStore()
    data = bytes(range(256)) * 5000
    staged = store.stage("img-1", iter([data[:1000], data[1000:]]))
    assert staged.size == len(data)
    location = store.commit(staged)
    assert location == "objects:img-1" and store.size(location) == len(data)
    with store.open(location) as handle:
        assert handle.read() == data
        handle.seek(1234)
        assert handle.read(10) == data[1234:1244]
        handle.seek(-5, io.SEEK_END)
        assert handle.read() == data[-5:]
    store.delete(location)
    store.delete(location)
    assert object_names() == []
    with pytest.raises(FileNotFoundError):
        store.open(location)


def test_too_large_and_broken_streams_leave_nothing(object_ring):
    store = ObjectStore()
    with pytest.raises(StoreFull):
        store.stage("img-2", iter([b"x" * 10, b"y" * 10]), max_size=15)

    def broken():
        yield b"part"
        raise OSError("client went away")

    with pytest.raises(OSError):
        store.stage("img-3", broken())
    assert object_names() == []


def test_service_upload_through_the_object_store(object_ring, settings, alice, tmp_path):
    settings.IMAGE_STORE = "objects"
    disk = tmp_path / "disk.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(disk), "20M"], check=True)
    image = services.create_image(alice, disk_format="qcow2", container_format="bare")
    result = services.upload_image_data(alice, image.id, open(disk, "rb"))
    data = disk.read_bytes()
    assert result.location == f"objects:{image.id}" and result.size == len(data)
    # No local file: qemu-img read the header from the first MiB of the stream.
    assert result.virtual_size == 20 * 1024 * 1024
    assert result.checksum == hashlib.md5(data).hexdigest()
    with services.open_image_data(alice, image.id) as handle:
        assert handle.read() == data

    overlay = tmp_path / "overlay.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", str(disk), "-F", "qcow2", str(overlay)],
                   check=True)
    evil = services.create_image(alice, disk_format="qcow2", container_format="bare")
    with pytest.raises(BadRequest, match="backing"):
        services.upload_image_data(alice, evil.id, open(overlay, "rb"))
    assert object_names() == [image.id]


def test_api_download_and_range_from_the_object_store(object_ring, settings, api, demo_token):
    settings.IMAGE_STORE = "objects"
    created = api.post("/image/v2/images", {"disk_format": "raw", "container_format": "bare"}, token=demo_token)
    image_id = created.json()["id"]
    data = bytes(range(256)) * 9000
    assert api.put(f"/image/v2/images/{image_id}/file", raw=data, token=demo_token,
                   content_type="application/octet-stream").status_code == 204
    whole = api.get(f"/image/v2/images/{image_id}/file", token=demo_token)
    assert b"".join(whole.streaming_content) == data and whole["Content-MD5"] == hashlib.md5(data).hexdigest()
    part = api.get(f"/image/v2/images/{image_id}/file", token=demo_token, headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206 and b"".join(part.streaming_content) == data[1000:2000]
