"""The image service layer with real contexts, the real database and the real store."""

import hashlib
import io
import subprocess

import pytest

from core import quotas
from core.exceptions import BadRequest, Conflict, Forbidden, NotFound
from storage.images import services
from storage.images.models import Image, ImageMember

pytestmark = pytest.mark.django_db


def files(store):
    return sorted(p.name for p in store.iterdir()) if store.exists() else []


def new_image(ctx, **fields):
    fields.setdefault("disk_format", "raw")
    fields.setdefault("container_format", "bare")
    return services.create_image(ctx, **fields)


class SlowStream:
    """A request body that yields chunks and can fail after some of them."""

    def __init__(self, chunks, fail_after=None):
        self.chunks, self.fail_after, self.read_count = list(chunks), fail_after, 0

    def read(self, size):
        if self.fail_after is not None and self.read_count >= self.fail_after:
            raise OSError("connection reset by peer")
        self.read_count += 1
        return self.chunks.pop(0) if self.chunks else b""


def test_upload_computes_hashes_and_size(alice, image_store):
    image = new_image(alice, name="a")
    data = b"abc" * 100_000
    result = services.upload_image_data(alice, image.id, io.BytesIO(data), expected_size=len(data))
    assert result.status == "active" and result.size == len(data)
    assert result.checksum == hashlib.md5(data).hexdigest()
    assert result.os_hash_value == hashlib.sha512(data).hexdigest()
    assert files(image_store) == [image.id]
    with services.open_image_data(alice, image.id) as handle:
        assert handle.read() == data


def test_upload_accepts_an_iterable(alice):
    image = new_image(alice)
    result = services.upload_image_data(alice, image.id, iter([b"a", b"", b"b"]))
    assert result.size == 2


def test_interrupted_upload_kills_image_and_leaves_no_file(alice, image_store):
    image = new_image(alice)
    stream = SlowStream([b"x" * 1000] * 5, fail_after=3)
    with pytest.raises(BadRequest):
        services.upload_image_data(alice, image.id, stream)
    image.refresh_from_db()
    assert image.status == "killed" and image.size is None and image.location == ""
    assert files(image_store) == []


def test_short_body_is_an_interrupted_upload(alice, image_store):
    image = new_image(alice)
    with pytest.raises(BadRequest):
        services.upload_image_data(alice, image.id, io.BytesIO(b"x" * 10), expected_size=100)
    assert Image.objects.get(pk=image.id).status == "killed"
    assert files(image_store) == []


def test_image_deleted_during_upload_leaves_no_file(alice, image_store):
    image = new_image(alice)

    def chunks():
        yield b"first"
        services.delete_image(alice, image.id)  # another request deletes it meanwhile
        yield b"second"

    with pytest.raises(Conflict):
        services.upload_image_data(alice, image.id, chunks())
    assert not Image.objects.filter(pk=image.id).exists()
    assert files(image_store) == []


def test_qcow2_virtual_size_and_backing_file_refused(alice, tmp_path, image_store):
    base = tmp_path / "base.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(base), "10M"], check=True)
    image = new_image(alice, disk_format="qcow2")
    result = services.upload_image_data(alice, image.id, open(base, "rb"))
    assert result.virtual_size == 10 * 1024 * 1024

    overlay = tmp_path / "overlay.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", str(base), "-F", "qcow2", str(overlay)],
                   check=True)
    evil = new_image(alice, disk_format="qcow2")
    with pytest.raises(BadRequest, match="backing"):
        services.upload_image_data(alice, evil.id, open(overlay, "rb"))
    assert Image.objects.get(pk=evil.id).status == "queued"
    assert files(image_store) == [image.id]

    garbage = new_image(alice, disk_format="qcow2")
    with pytest.raises(BadRequest, match="not a valid qcow2"):
        services.upload_image_data(alice, garbage.id, io.BytesIO(b"not a disk" * 100))


def test_quota_counts_only_the_owner(alice, bob, image_store):
    quotas.set_limits("project-alice", {"image_storage": 10})
    first = new_image(alice)
    services.upload_image_data(alice, first.id, io.BytesIO(b"x" * 8))
    second = new_image(alice)
    with pytest.raises(services.data.QuotaExceeded):
        services.upload_image_data(alice, second.id, io.BytesIO(b"x" * 3))
    assert Image.objects.get(pk=second.id).status == "queued"
    bobs = new_image(bob)
    assert services.upload_image_data(bob, bobs.id, io.BytesIO(b"x" * 30)).status == "active"
    assert files(image_store) == sorted([first.id, bobs.id])


def test_visibility_rules(alice, bob, carol, admin_ctx):
    private = new_image(alice, visibility="private")
    shared = new_image(alice)
    community = new_image(alice, visibility="community")
    public = new_image(admin_ctx, visibility="public")
    with pytest.raises(NotFound):
        services.get_image(bob, private.id)
    with pytest.raises(NotFound):
        services.get_image(bob, shared.id)
    assert services.get_image(bob, community.id).id == community.id
    assert services.get_image(bob, public.id).id == public.id
    assert services.get_image(admin_ctx, private.id).id == private.id

    services.add_member(alice, shared.id, "project-bob")
    assert services.get_image(bob, shared.id).id == shared.id
    with pytest.raises(NotFound):
        services.get_image(carol, shared.id)
    services.delete_member(alice, shared.id, "project-bob")
    with pytest.raises(NotFound):
        services.get_image(bob, shared.id)


def test_members_follow_visibility(alice, bob):
    image = new_image(alice)
    services.add_member(alice, image.id, "project-bob")
    services.update_member(bob, image.id, "project-bob", "accepted")
    services.set_image_fields(alice, image.id, visibility="private")
    with pytest.raises(NotFound):
        services.get_image(bob, image.id)
    services.set_image_fields(alice, image.id, visibility="shared")
    assert services.get_image(bob, image.id).id == image.id
    assert ImageMember.objects.get(image_id=image.id).status == "accepted"


def test_only_admin_publicizes(alice, admin_ctx):
    image = new_image(alice)
    with pytest.raises(Forbidden):
        services.set_image_fields(alice, image.id, visibility="public")
    services.set_image_fields(admin_ctx, image.id, visibility="public")
    assert Image.objects.get(pk=image.id).visibility == "public"
    # Community is the owner's choice.
    other = new_image(alice)
    services.set_image_fields(alice, other.id, visibility="community")


def test_reader_cannot_create_or_modify(alice):
    reader = type(alice)(user_id="r", project_id="project-alice", roles=("reader",))
    with pytest.raises(Forbidden):
        new_image(reader)
    image = new_image(alice)
    with pytest.raises(Forbidden):
        services.set_image_fields(reader, image.id, name="x")
    assert services.get_image(reader, image.id).id == image.id


def test_image_for_boot(alice, bob):
    image = new_image(alice, disk_format="qcow2", kernel_id="11111111-2222-3333-4444-555555555555",
                      visibility="community", min_ram=64)
    with pytest.raises(BadRequest):
        services.image_for_boot(bob, image.id)
    subprocess_data = b"QFI\xfb"  # not a valid qcow2: uploading must fail and keep it out of boot
    with pytest.raises(BadRequest):
        services.upload_image_data(alice, image.id, io.BytesIO(subprocess_data))
    raw = new_image(alice, visibility="community", ramdisk_id="11111111-2222-3333-4444-555555555555")
    services.upload_image_data(alice, raw.id, io.BytesIO(b"bootable"))
    info = services.image_for_boot(bob, raw.id)
    assert info["status"] == "active" and info["size"] == 8 and info["virtual_size"] == 8
    assert info["properties"] == {"ramdisk_id": "11111111-2222-3333-4444-555555555555"}
    assert info["checksum"] == hashlib.md5(b"bootable").hexdigest()
    with pytest.raises(NotFound):
        services.image_for_boot(bob, new_image(alice, visibility="private").id)


def test_delete_removes_data_and_grants(alice, bob, image_store, django_capture_on_commit_callbacks):
    from guardian.models import GroupObjectPermission

    image = new_image(alice)
    services.upload_image_data(alice, image.id, io.BytesIO(b"data"))
    services.add_member(alice, image.id, "project-bob")
    assert GroupObjectPermission.objects.filter(object_pk=image.id).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_image(alice, image.id)
    assert files(image_store) == []
    assert not GroupObjectPermission.objects.filter(object_pk=image.id).exists()


def test_reap_stale_uploads(alice, admin_ctx, image_store):
    import datetime
    import os
    import time

    from django.utils import timezone

    from storage.images.stores import get_store

    stuck = new_image(alice)
    running = new_image(alice)
    Image.objects.filter(pk__in=[stuck.id, running.id]).update(
        status="saving", updated_at=timezone.now() - datetime.timedelta(hours=1))
    store = get_store()
    store.directory.mkdir(parents=True, exist_ok=True)
    old = store.directory / f".staging-{stuck.id}-0000"
    old.write_bytes(b"half")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    live = store.directory / f".staging-{running.id}-1111"
    live.write_bytes(b"growing")
    with pytest.raises(Forbidden):
        services.reap_stale_uploads(alice)
    committed_then_died = store.directory / stuck.id  # renamed into place, database never told
    committed_then_died.write_bytes(b"whole")
    assert services.reap_stale_uploads(admin_ctx) == (1, 1)
    assert Image.objects.get(pk=stuck.id).status == "killed"
    assert Image.objects.get(pk=running.id).status == "saving"
    assert files(image_store) == [live.name]


def test_quota_usage(alice, bob, admin_ctx):
    image = new_image(alice)
    services.upload_image_data(alice, image.id, io.BytesIO(b"12345"))
    usage = services.quota_usage(alice, "project-alice")
    assert usage["image_storage"]["used"] == 5 and usage["image_count"]["used"] == 1
    assert services.quota_usage(admin_ctx, "project-alice") == usage
    with pytest.raises(Forbidden):
        services.quota_usage(bob, "project-alice")
