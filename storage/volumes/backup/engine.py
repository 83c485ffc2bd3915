"""The backup worker (cinder-backup): reads a volume through its back end's driver, writes chunks to the
object store of the volume's project, and restores them. Runs on queue volume-backup on a machine that
reaches the back ends' data (for `file` back ends: the same filesystem)."""

import logging
import os
import tempfile

from core.context import RequestContext
from storage.objects import services as objects
from storage.volumes import conf
from storage.volumes.backup import chunks
from storage.volumes.drivers.base import load_driver
from storage.volumes.services import backups as backup_services
from storage.volumes.services.worker import volume_dict

log = logging.getLogger("nebula.volumes.backup")


def _driver(volume):
    backend = volume.backend
    if backend is None:
        raise RuntimeError(f"volume {volume.id} is on no back end")
    return load_driver(backend.driver, backend.backend, (backend.config or {}).get("options", []))


def _ctx():
    return RequestContext.internal()


def _join(iterable):
    return b"".join(iterable)


def run_backup(backup_id):
    backup, volume = backup_services.backup_job(backup_id)
    if backup is None or backup.status != "creating":
        return
    try:
        if volume is None:
            raise RuntimeError(f"volume {backup.volume_id} no longer exists")
        ctx = _ctx()
        objects.ensure_container(ctx, backup.project_id, backup.container)
        chunk_size = conf.backup_chunk_size()
        parent_manifest = backup.parent.manifest if backup.parent else []
        if backup.parent and backup.parent.chunk_size != chunk_size:
            parent_manifest = []  # chunking changed: nothing lines up, store everything
        manifest, written = [], 0
        with tempfile.TemporaryDirectory(prefix="nebula-backup-") as scratch:
            raw = os.path.join(scratch, "volume.raw")
            _driver(volume).export_raw(volume_dict(volume), raw)
            with open(raw, "rb") as handle:
                for entry, compressed in chunks.plan(handle, chunk_size, backup.id, parent_manifest):
                    if compressed is not None:
                        objects.put_object(ctx, backup.project_id, backup.container, entry["object"], compressed,
                                           content_type="application/octet-stream")
                        written += 1
                    manifest.append(entry)
    except Exception as error:  # noqa: BLE001 - the backup goes to error with the reason
        log.warning("backup %s failed: %s", backup_id, error)
        backup_services.backup_failed(backup_id, f"{type(error).__name__}: {error}")
        return
    backup_services.backup_done(backup_id, manifest, written, chunk_size)


def run_restore(backup_id, volume_id):
    from storage.volumes.models import Backup, Volume

    backup = Backup.objects.filter(pk=backup_id).first()
    volume = Volume.objects.select_related("backend").filter(pk=volume_id).first()
    if backup is None or volume is None:
        return
    try:
        ctx = _ctx()
        with tempfile.TemporaryDirectory(prefix="nebula-restore-") as scratch:
            raw = os.path.join(scratch, "volume.raw")
            with open(raw, "wb") as handle:
                for entry in sorted(backup.manifest, key=lambda e: e["index"]):
                    _, body = objects.get_object(ctx, backup.project_id, backup.container, entry["object"])
                    handle.seek(entry["index"] * backup.chunk_size)
                    handle.write(chunks.unpack(entry, _join(body)))
                handle.truncate(volume.size * 1024 ** 3)
            _driver(volume).import_raw(raw, volume_dict(volume))
    except Exception as error:  # noqa: BLE001
        log.warning("restore of backup %s to %s failed: %s", backup_id, volume_id, error)
        backup_services.backup_failed(backup_id, f"{type(error).__name__}: {error}")
        return
    backup_services.restore_done(backup_id, volume_id)


def run_delete(backup_id):
    from core.exceptions import NotFound
    from storage.volumes.models import Backup

    backup = Backup.objects.filter(pk=backup_id, status="deleting").first()
    if backup is None:
        return
    ctx = _ctx()
    for entry in backup.manifest:
        if entry["object"].startswith(f"{backup.id}/"):  # the parent's objects stay with the parent
            try:
                objects.delete_object(ctx, backup.project_id, backup.container, entry["object"])
            except NotFound:
                pass
    backup_services.backup_deleted(backup_id)
