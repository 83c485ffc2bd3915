"""What the back end and backup workers record once their driver has done (or failed) the work.

Every update is conditional on the state the work started from, so a late answer after the
timeout reaper has failed a volume changes nothing."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from storage.volumes import conf, messaging
from storage.volumes.models import Backend, Backup, Snapshot, Volume
from storage.volumes.services.common import record_error
from storage.volumes.services.placement import fail_volume

log = logging.getLogger("nebula.volumes")


def volume_dict(volume):
    return {"id": volume.id, "size": volume.size, "provider_location": volume.provider_location,
            "project_id": volume.project_id, "name": volume.name}


def snapshot_dict(snapshot):
    return {"id": snapshot.id, "size": snapshot.size, "provider_location": snapshot.provider_location,
            "volume_id": snapshot.volume_id}


def create_job(volume_id):
    """(volume dict, source description) for a back end about to create a volume, or None."""
    volume = Volume.objects.filter(pk=volume_id, status="creating").first()
    if volume is None:
        return None
    source = {"kind": "empty"}
    if volume.snapshot_id:
        snapshot = Snapshot.objects.select_related("volume").get(pk=volume.snapshot_id)
        source = {"kind": "snapshot", "snapshot": snapshot_dict(snapshot), "volume": volume_dict(snapshot.volume)}
    elif volume.source_volid:
        source = {"kind": "volume", "volume": volume_dict(Volume.objects.get(pk=volume.source_volid))}
    elif volume.image_id:
        source = {"kind": "image", "image_id": volume.image_id,
                  "disk_format": volume.image_metadata.get("disk_format", "raw")}
    return volume_dict(volume), source


def volume_created(volume_id, model_update):
    with transaction.atomic():
        volume = Volume.objects.select_for_update().filter(pk=volume_id, status="creating").first()
        if volume is None:
            return False
        volume.provider_location = model_update.get("provider_location")
        volume.launched_at = timezone.now()
        if volume.backup_id:
            # A restore to a new volume: the empty volume now exists, fill it from the backup.
            volume.status = "restoring-backup"
            Backup.objects.filter(pk=volume.backup_id).update(status="restoring", restore_volume_id=volume.id)
            messaging.to_backup("restore_backup", volume.backup_id, volume.id)
        else:
            volume.status = "available"
        volume.status_reason = None
        volume.save()
    return True


def volume_create_failed(volume_id, reason, request_id=None):
    return fail_volume(volume_id, reason, "CREATE_VOLUME", request_id)


def volume_deleted(volume_id):
    with transaction.atomic():
        volume = Volume.objects.select_for_update().filter(pk=volume_id).first()
        if volume is None:
            return
        Backend.objects.filter(pk=volume.backend_id).update(
            allocated_capacity_gb=F("allocated_capacity_gb") - volume.size)
        Snapshot.objects.filter(volume=volume).delete()
        volume.delete()


def volume_delete_failed(volume_id, reason):
    fail_volume(volume_id, reason, "DELETE_VOLUME", from_statuses=("deleting",), status="error_deleting")


def volume_extended(volume_id, new_size):
    Volume.objects.filter(pk=volume_id, status="extending").update(size=new_size, status="available",
                                                                    updated_at=timezone.now())


def volume_extend_failed(volume_id, new_size, reason):
    with transaction.atomic():
        volume = Volume.objects.select_for_update().filter(pk=volume_id, status="extending").first()
        if volume is None:
            return
        Backend.objects.filter(pk=volume.backend_id).update(
            allocated_capacity_gb=F("allocated_capacity_gb") - (new_size - volume.size))
    fail_volume(volume_id, reason, "EXTEND_VOLUME", from_statuses=("extending",), status="error_extending")


def upload_finished(volume_id, image_id, error=None):
    """The volume goes back to what it was; a failed upload kills the image and says why."""
    with transaction.atomic():
        volume = Volume.objects.select_for_update().filter(pk=volume_id, status="uploading").first()
        if volume is None:
            return
        volume.status, volume.previous_status = volume.previous_status or "available", None
        volume.save(update_fields=["status", "previous_status", "updated_at"])
        if error:
            record_error(volume.project_id, "VOLUME", volume.id, "COPY_VOLUME_TO_IMAGE", error)
    if error:
        from storage.images.models import Image

        Image.objects.filter(pk=image_id, status__in=("queued", "saving")).update(status="killed")


def snapshot_job(snapshot_id):
    snapshot = Snapshot.objects.select_related("volume").filter(pk=snapshot_id).first()
    if snapshot is None:
        return None
    return snapshot_dict(snapshot), volume_dict(snapshot.volume)


def snapshot_created(snapshot_id, model_update):
    Snapshot.objects.filter(pk=snapshot_id, status="creating").update(
        status="available", progress="100%", provider_location=model_update.get("provider_location"),
        updated_at=timezone.now())


def snapshot_failed(snapshot_id, reason, status="error", from_status="creating"):
    snapshot = Snapshot.objects.filter(pk=snapshot_id, status=from_status).first()
    if snapshot is None:
        return
    Snapshot.objects.filter(pk=snapshot_id).update(status=status, status_reason=reason, updated_at=timezone.now())
    record_error(snapshot.project_id, "VOLUME_SNAPSHOT", snapshot.id, "SNAPSHOT_" + from_status.upper(), reason)


def snapshot_deleted(snapshot_id):
    Snapshot.objects.filter(pk=snapshot_id).delete()


def reap_stuck(now=None):
    """Volumes, snapshots and backups stuck in a busy state past the timeout go to error with a reason
    (a back end worker died mid-operation, or its queue has no consumer). Returns the ids failed."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=conf.create_timeout())
    failed = []
    for volume in Volume.objects.filter(status="creating", updated_at__lt=cutoff).select_related("backend"):
        where = f"back end {volume.host}" if volume.host else "the volume scheduler"
        if fail_volume(volume.id, f"Timed out after {conf.create_timeout()} s waiting for {where} to create "
                                  f"the volume (the worker may have died).", "CREATE_VOLUME"):
            failed.append(volume.id)
    for volume in Volume.objects.filter(status="extending", updated_at__lt=cutoff):
        if fail_volume(volume.id, "Timed out waiting for the back end to extend the volume.", "EXTEND_VOLUME",
                       from_statuses=("extending",), status="error_extending"):
            failed.append(volume.id)
    for volume in Volume.objects.filter(status="deleting", updated_at__lt=cutoff):
        if fail_volume(volume.id, "Timed out waiting for the back end to delete the volume.", "DELETE_VOLUME",
                       from_statuses=("deleting",), status="error_deleting"):
            failed.append(volume.id)
    for volume in Volume.objects.filter(status="uploading", updated_at__lt=cutoff):
        upload_finished(volume.id, None, "Timed out waiting for the back end to upload the volume to an image.")
        failed.append(volume.id)
    for snapshot in Snapshot.objects.filter(status="creating", updated_at__lt=cutoff):
        snapshot_failed(snapshot.id, "Timed out waiting for the back end to create the snapshot.")
        failed.append(snapshot.id)
    for backup in Backup.objects.filter(status__in=("creating", "restoring"), updated_at__lt=cutoff):
        from storage.volumes.services.backups import backup_failed

        backup_failed(backup.id, f"Timed out waiting for the backup service ({backup.status}).")
        failed.append(backup.id)
    return failed
