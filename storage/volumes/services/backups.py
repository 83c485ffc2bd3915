"""Backups: a volume's bytes in the object store, full or incremental, restored to a new or existing volume."""

from django.db import transaction
from django.utils import timezone

from core import quotas
from core.api.paging import paginate, parse_limit, parse_sort
from core.exceptions import BadRequest
from core.policy import enforce
from storage.volumes import conf, messaging
from storage.volumes.models import Backup, Volume
from storage.volumes.services.common import check_metadata, check_text, get_owned, parse_bool, record_error, scoped


def get_backup(ctx, backup_id):
    return get_owned(ctx, Backup, backup_id, "Backup", "backup:get")


def list_backups(ctx, params):
    enforce(ctx, "backup:get", {"project_id": ctx.project_id})
    all_tenants = str(params.get("all_tenants", "")).lower() in ("1", "true", "yes")
    queryset = scoped(ctx, Backup.objects.all(), all_tenants, params.get("project_id") if ctx.is_admin else None)
    for key in ("name", "status", "volume_id"):
        if params.get(key):
            queryset = queryset.filter(**{key: params[key]})
    sort = parse_sort([params["sort_key"]] if params.get("sort_key") else [],
                      [params.get("sort_dir", "desc")], ("created_at", "name", "size", "status", "id"))
    return paginate(queryset.prefetch_related("children"), parse_limit(params.get("limit")),
                    params.get("marker"), sort)


def create_backup(ctx, volume_id, name=None, description=None, incremental=False, force=False, container=None,
                  metadata=None):
    name = check_text(name, "name")
    description = check_text(description, "description", 65535)
    container = check_text(container, "container") or conf.backup_container()
    incremental = parse_bool(incremental, "incremental") if incremental is not None else False
    force = parse_bool(force, "force") if force is not None else False
    metadata = check_metadata(metadata)
    with transaction.atomic():
        volume = get_owned(ctx, Volume, volume_id, "Volume", "backup:create", for_update=True)
        allowed = ("available", "in-use") if force else ("available",)
        if volume.status not in allowed:
            raise BadRequest(f"Invalid volume: Volume to be backed up must be available"
                             f"{' or in-use' if force else ''}, but the current status is \"{volume.status}\".")
        parent = None
        if incremental:
            parent = Backup.objects.filter(volume_id=volume.id, status="available").order_by(
                "-data_timestamp", "-created_at").first()
            if parent is None:
                raise BadRequest("Invalid backup: No backups available to do an incremental backup.")
        with quotas.reserve(volume.project_id, backups=1, backup_gigabytes=volume.size):
            backup = Backup.objects.create(
                project_id=volume.project_id, user_id=ctx.user_id, volume_id=volume.id, name=name,
                description=description, size=volume.size, status="creating", container=container, parent=parent,
                is_incremental=parent is not None, availability_zone=volume.availability_zone, metadata=metadata)
            volume.previous_status, volume.status = volume.status, "backing-up"
            volume.save(update_fields=["previous_status", "status", "updated_at"])
            messaging.to_backup("create_backup", backup.id)
    return backup


def backup_job(backup_id):
    backup = Backup.objects.select_related("parent").filter(pk=backup_id).first()
    volume = Volume.objects.select_related("backend").filter(pk=backup.volume_id).first() if backup else None
    return backup, volume


def backup_done(backup_id, manifest, object_count, chunk_size):
    with transaction.atomic():
        backup = Backup.objects.select_for_update().filter(pk=backup_id, status="creating").first()
        if backup is None:
            return
        backup.manifest, backup.object_count, backup.chunk_size = manifest, object_count, chunk_size
        backup.status, backup.data_timestamp = "available", timezone.now()
        backup.save()
        _release_volume(backup.volume_id)


def _release_volume(volume_id):
    volume = Volume.objects.select_for_update().filter(pk=volume_id, status="backing-up").first()
    if volume is not None:
        volume.status, volume.previous_status = volume.previous_status or "available", None
        volume.save(update_fields=["status", "previous_status", "updated_at"])


def backup_failed(backup_id, reason):
    with transaction.atomic():
        backup = Backup.objects.select_for_update().filter(pk=backup_id).first()
        if backup is None:
            return
        was = backup.status
        backup.status, backup.fail_reason = "error", reason
        backup.save(update_fields=["status", "fail_reason", "updated_at"])
        if was == "creating":
            _release_volume(backup.volume_id)
        elif was == "restoring" and backup.restore_volume_id:
            Volume.objects.filter(pk=backup.restore_volume_id, status="restoring-backup").update(
                status="error_restoring", status_reason=reason)
        record_error(backup.project_id, "VOLUME_BACKUP", backup.id, f"BACKUP_{was.upper()}", reason)


def restore_backup(ctx, backup_id, volume_id=None, name=None):
    name = check_text(name, "name")
    with transaction.atomic():
        backup = get_owned(ctx, Backup, backup_id, "Backup", "backup:restore", for_update=True)
        if backup.status != "available":
            raise BadRequest(f"Invalid backup: Backup status must be available, not {backup.status}.")
        if volume_id is None:
            from storage.volumes.services.volumes import create_volume

            # The new volume gets the backed-up volume's type while that exists (so the same kind of back end).
            source = Volume.objects.filter(pk=backup.volume_id).values_list("volume_type_id", flat=True).first()
            volume = create_volume(ctx, size=backup.size, name=name or f"restore_backup_{backup.id}",
                                   description="auto-created_from_restore_from_backup", backup_id=backup.id,
                                   volume_type=source)
            backup.status = "restoring"
            backup.save(update_fields=["status", "updated_at"])
            return backup, volume
        volume = get_owned(ctx, Volume, volume_id, "Volume", "backup:restore", for_update=True)
        if volume.status != "available":
            raise BadRequest(f"Invalid volume: Volume to be restored to must be available, not {volume.status}.")
        if volume.size < backup.size:
            raise BadRequest(f"Invalid volume: volume size {volume.size} is smaller than backup size {backup.size}.")
        volume.status = "restoring-backup"
        volume.save(update_fields=["status", "updated_at"])
        backup.status, backup.restore_volume_id = "restoring", volume.id
        backup.save(update_fields=["status", "restore_volume_id", "updated_at"])
        messaging.to_backup("restore_backup", backup.id, volume.id)
    return backup, volume


def restore_done(backup_id, volume_id):
    with transaction.atomic():
        Backup.objects.filter(pk=backup_id, status="restoring").update(status="available", updated_at=timezone.now())
        Volume.objects.filter(pk=volume_id, status="restoring-backup").update(status="available",
                                                                              updated_at=timezone.now())


def delete_backup(ctx, backup_id, force=False):
    with transaction.atomic():
        backup = get_owned(ctx, Backup, backup_id, "Backup", "backup:delete", for_update=True)
        if backup.status not in ("available", "error"):
            raise BadRequest(f"Invalid backup: Backup status must be available or error, not {backup.status}.")
        if backup.children.exists():
            raise BadRequest("Invalid backup: Incremental backups exist for this backup.")
        backup.status = "deleting"
        backup.save(update_fields=["status", "updated_at"])
        messaging.to_backup("delete_backup", backup.id)


def backup_deleted(backup_id):
    Backup.objects.filter(pk=backup_id).delete()


def reset_backup_status(ctx, backup_id, status):
    enforce(ctx, "volume:reset_status")
    if status not in ("available", "error"):
        raise BadRequest("Invalid input received: backup status must be available or error.")
    with transaction.atomic():
        backup = get_owned(ctx, Backup, backup_id, "Backup", "volume:reset_status", for_update=True)
        backup.status = status
        backup.save(update_fields=["status", "updated_at"])
    return backup
