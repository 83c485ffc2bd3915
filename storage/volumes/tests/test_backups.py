"""Backups through the real object store: full, incremental (only changed chunks), restore byte-equal."""

import hashlib

import pytest

from core.exceptions import BadRequest
from storage.volumes.backup import chunks
from storage.volumes.models import Backup, Volume
from storage.volumes.services import backups, types, volumes

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_chunks(settings, volume_cloud):
    """64 MiB chunks and a real object store (its ring of local devices) under the test's directory."""
    from core.context import RequestContext
    from storage.objects import bootstrap as objects_bootstrap

    settings.VOLUME_BACKUP_CHUNK_SIZE = 64 * 1024 * 1024
    objects_bootstrap.run(RequestContext.internal(), {})


def _volume(cloud):
    vtype = types.create_type(cloud["admin"], "t-file", extra_specs={"volume_backend_name": "file"})
    with cloud["run"]():
        volume = volumes.create_volume(cloud["demo"], size=1, volume_type=vtype.id)
    volume.refresh_from_db()
    return volume


def _rewrite(volume, tmp_path, data, offset):
    from storage.volumes.drivers.file import FileDriver

    driver = FileDriver("file", [str(volume.provider_location).rsplit("/", 1)[0]])
    raw = tmp_path / "edit.raw"
    driver.export_raw({"id": volume.id, "provider_location": volume.provider_location}, raw)
    with open(raw, "r+b") as handle:
        handle.seek(offset)
        handle.write(data)
    driver.import_raw(raw, {"id": volume.id, "provider_location": volume.provider_location})
    raw.unlink()


def _bytes_digest(volume, tmp_path):
    from storage.volumes.drivers.file import FileDriver

    driver = FileDriver("file", [str(volume.provider_location).rsplit("/", 1)[0]])
    raw = tmp_path / "read.raw"
    driver.export_raw({"id": volume.id, "provider_location": volume.provider_location}, raw)
    digest = hashlib.sha256()
    with open(raw, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            digest.update(block)
    raw.unlink()
    return digest.hexdigest()


def test_full_incremental_restore(volume_cloud, tmp_path, small_chunks):
    demo = volume_cloud["demo"]
    volume = _volume(volume_cloud)
    _rewrite(volume, tmp_path, b"first" * 4000, 0)
    first = _bytes_digest(volume, tmp_path)
    with pytest.raises(BadRequest):
        backups.create_backup(demo, volume.id, incremental=True)  # nothing to be incremental against
    with volume_cloud["run"]():
        full = backups.create_backup(demo, volume.id, name="full")
    full.refresh_from_db()
    assert full.status == "available", full.fail_reason
    assert full.object_count == 16 and len(full.manifest) == 16  # 1 GiB in 64 MiB chunks
    volume.refresh_from_db()
    assert volume.status == "available"

    _rewrite(volume, tmp_path, b"second" * 4000, 700 * 1024 * 1024)
    second = _bytes_digest(volume, tmp_path)
    with volume_cloud["run"]():
        incremental = backups.create_backup(demo, volume.id, incremental=True)
    incremental.refresh_from_db()
    assert incremental.is_incremental and incremental.parent_id == full.id
    assert incremental.object_count == 1  # only the changed chunk was written
    changed = [e for e in incremental.manifest if e["object"].startswith(incremental.id)]
    assert [e["index"] for e in changed] == [10]

    with volume_cloud["run"]():
        backups.restore_backup(demo, full.id, volume.id)
    assert _bytes_digest(volume, tmp_path) == first
    with volume_cloud["run"]():
        _, restored = backups.restore_backup(demo, incremental.id, None, name="restored")
    restored.refresh_from_db()
    assert restored.status == "available" and restored.size == 1
    assert _bytes_digest(restored, tmp_path) == second

    with pytest.raises(BadRequest):
        backups.delete_backup(demo, full.id)  # an incremental depends on it
    with volume_cloud["run"]():
        backups.delete_backup(demo, incremental.id)
    with volume_cloud["run"]():
        backups.delete_backup(demo, full.id)
    assert not Backup.objects.exists()
    from core.context import RequestContext
    from storage.objects import services as objects

    info = objects.container_info(RequestContext.internal(), demo.project_id, "volumebackups")
    assert info.object_count == 0, info
    assert Volume.objects.filter(pk=volume.id, status="available").exists()


def test_corrupt_chunk_is_refused():
    entry, compressed = next(chunks.plan(__import__("io").BytesIO(b"abc" * 100), 1024, "b1"))
    assert chunks.unpack(entry, compressed) == b"abc" * 100
    with pytest.raises(ValueError):
        chunks.unpack({**entry, "sha256": "0" * 64}, compressed)


def test_backup_of_busy_volume_is_refused(volume_cloud):
    volume = _volume(volume_cloud)
    Volume.objects.filter(pk=volume.id).update(status="in-use")
    with pytest.raises(BadRequest):
        backups.create_backup(volume_cloud["demo"], volume.id)
    assert not Backup.objects.exists()
