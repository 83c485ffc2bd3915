"""Volumes: create (empty, from an image, a snapshot, another volume, a backup), read, change, delete."""

import math

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import quotas
from core.api.paging import paginate, parse_limit, parse_sort
from core.exceptions import BadRequest, NotFound
from core.policy import enforce
from storage.volumes import messaging
from storage.volumes.models import Backend, Snapshot, Volume
from storage.volumes.services import types as type_services
from storage.volumes.services.common import (
    check_metadata,
    check_size,
    check_text,
    get_owned,
    parse_bool,
    parse_uuid,
    scoped,
)

GiB = 1024 ** 3
DELETABLE = {"available", "error", "error_restoring", "error_extending", "error_managing"}
VALID_STATUSES = {"creating", "available", "reserved", "attaching", "detaching", "in-use", "maintenance",
                  "deleting", "awaiting-transfer", "error", "error_deleting", "backing-up", "restoring-backup",
                  "error_backing-up", "error_restoring", "error_extending", "downloading", "uploading",
                  "retyping", "extending"}


def get_volume(ctx, volume_id, for_update=False):
    return get_owned(ctx, Volume, volume_id, "Volume", "volume:get", for_update=for_update)


def _locked(ctx, volume_id, action):
    volume = get_owned(ctx, Volume, volume_id, "Volume", action, for_update=True)
    return volume


def _volume_queryset():
    return Volume.objects.select_related("volume_type").prefetch_related("attachments")


FILTERS = ("name", "status", "bootable", "availability_zone", "volume_type", "metadata", "project_id")
SORT_KEYS = ("created_at", "updated_at", "name", "size", "status", "id", "availability_zone", "bootable")


def list_volumes(ctx, params):
    """params: the query dict (name, status, bootable, metadata, all_tenants, project_id, limit, marker, sort)."""
    enforce(ctx, "volume:get", {"project_id": ctx.project_id})
    all_tenants = str(params.get("all_tenants", "")).lower() in ("1", "true", "yes")
    queryset = scoped(ctx, _volume_queryset(), all_tenants, params.get("project_id") if ctx.is_admin else None)
    if params.get("name"):
        queryset = queryset.filter(name=params["name"])
    if params.get("name~"):
        queryset = queryset.filter(name__icontains=params["name~"])
    if params.get("status"):
        queryset = queryset.filter(status=params["status"])
    if params.get("availability_zone"):
        queryset = queryset.filter(availability_zone=params["availability_zone"])
    if params.get("bootable") not in (None, ""):
        queryset = queryset.filter(bootable=parse_bool(params["bootable"], "bootable"))
    if params.get("volume_type"):
        queryset = queryset.filter(volume_type__name=params["volume_type"]) | queryset.filter(
            volume_type_id=params["volume_type"])
    if params.get("metadata"):
        import ast

        try:
            wanted = ast.literal_eval(params["metadata"])
        except (ValueError, SyntaxError):
            raise BadRequest("Invalid input received: metadata filter must be a dictionary.") from None
        if not isinstance(wanted, dict):
            raise BadRequest("Invalid input received: metadata filter must be a dictionary.")
        rows = [v for v in queryset if all(v.metadata.get(k) == str(val) for k, val in wanted.items())]
        queryset = queryset.filter(pk__in=[v.pk for v in rows])
    sort = _sort(params)
    return paginate(queryset, parse_limit(params.get("limit")), params.get("marker"), sort)


def _sort(params):
    keys, dirs = [], []
    if params.get("sort"):
        for item in str(params["sort"]).split(","):
            key, _, direction = item.partition(":")
            keys.append(key.strip())
            dirs.append(direction.strip() or "desc")
    elif params.get("sort_key"):
        keys = [params["sort_key"]]
        dirs = [params.get("sort_dir", "desc")]
    return parse_sort(keys, dirs, SORT_KEYS)


def _image_size_gb(image):
    size = image.get("virtual_size") or image.get("size") or 0
    return max(1, math.ceil(size / GiB)), max(int(image.get("min_disk") or 0), 0)


def create_volume(ctx, size=None, name=None, description=None, volume_type=None, availability_zone=None,
                  metadata=None, snapshot_id=None, source_volid=None, image_id=None, backup_id=None,
                  bootable=None, multiattach=False):
    enforce(ctx, "volume:create", {"project_id": ctx.project_id})
    name = check_text(name, "name")
    description = check_text(description, "description", 65535)
    metadata = check_metadata(metadata)
    sources = [s for s in (snapshot_id, source_volid, image_id, backup_id) if s]
    if len(sources) > 1:
        raise BadRequest("Invalid input received: only one of snapshot_id, source_volid, imageRef and backup_id "
                         "may be given.")
    if size is None and not sources:
        raise BadRequest("Invalid input received: size is required.")
    if size is not None:
        size = check_size(size)
    forced_backend = None
    image_info = {}
    image_meta = {}
    snapshot = source = None
    is_bootable = False
    if snapshot_id:
        snapshot = get_owned(ctx, Snapshot, snapshot_id, "Snapshot", "volume:snapshot_get")
        if snapshot.status != "available":
            raise BadRequest("Invalid snapshot: Originating snapshot status must be one of 'available' values")
        size = size or snapshot.size
        if size < snapshot.size:
            raise BadRequest(f"Invalid input received: Volume size '{size}'GB cannot be smaller than the snapshot "
                             f"size {snapshot.size}GB. They must be >= original snapshot size.")
        source_of = snapshot.volume
        forced_backend, is_bootable = source_of.backend_id, source_of.bootable
        image_meta = dict(source_of.image_metadata)
        volume_type = volume_type or source_of.volume_type_id
    if source_volid:
        source = get_volume(ctx, source_volid)
        if source.status not in ("available", "in-use"):
            raise BadRequest(f"Invalid volume: Source volume status must be available or in-use, not {source.status}")
        size = size or source.size
        if size < source.size:
            raise BadRequest(f"Invalid input received: Volume size '{size}'GB cannot be smaller than the source "
                             f"volume size {source.size}GB. They must be >= original volume size.")
        forced_backend, is_bootable = source.backend_id, source.bootable
        image_meta = dict(source.image_metadata)
        volume_type = volume_type or source.volume_type_id
    if image_id:
        from storage.images.services.data import image_for_boot

        if parse_uuid(image_id) is None:
            raise NotFound(f"Image {image_id} could not be found.")
        image_info = image_for_boot(ctx, image_id)
        needed, min_disk = _image_size_gb(image_info)
        size = size or max(needed, min_disk)
        if size < needed or size < min_disk:
            raise BadRequest(f"Invalid input received: Size of specified image {needed}GB is larger than volume "
                             f"size {size}GB.")
        is_bootable = True
        image_meta = {"image_id": image_info["id"], "image_name": image_info.get("name") or "",
                      "disk_format": image_info["disk_format"], "container_format": image_info["container_format"],
                      "checksum": image_info.get("checksum") or "", "size": str(image_info.get("size") or 0),
                      "min_disk": str(min_disk), "min_ram": str(image_info.get("min_ram") or 0)}
    vtype = type_services.get_type(ctx, volume_type) if volume_type else type_services.default_type(ctx)
    if availability_zone is not None:
        availability_zone = check_text(availability_zone, "availability_zone")
        if availability_zone and not Backend.objects.filter(availability_zone=availability_zone).exists():
            raise BadRequest(f"Invalid input received: Availability zone '{availability_zone}' is invalid.")
    if bootable is not None:
        is_bootable = parse_bool(bootable, "bootable")
    with quotas.reserve(ctx.project_id, volumes=1, gigabytes=size):
        volume = Volume.objects.create(
            project_id=ctx.project_id, user_id=ctx.user_id, name=name, description=description, size=size,
            status="creating", availability_zone=availability_zone or "nova", volume_type=vtype,
            metadata=metadata, snapshot_id=snapshot.id if snapshot else None,
            source_volid=source.id if source else None, image_id=image_info.get("id"), backup_id=backup_id,
            bootable=is_bootable, image_metadata=image_meta, multiattach=bool(multiattach))
        messaging.to_scheduler("create_volume", volume.id, forced_backend, ctx.request_id)
    return volume


def update_volume(ctx, volume_id, name=None, description=None, metadata=None, fields=()):
    with transaction.atomic():
        volume = _locked(ctx, volume_id, "volume:update")
        if "name" in fields:
            volume.name = check_text(name, "name")
        if "description" in fields:
            volume.description = check_text(description, "description", 65535)
        if "metadata" in fields:
            volume.metadata = check_metadata(metadata)
        volume.save()
    return volume


def set_metadata(ctx, volume_id, metadata, replace=False):
    metadata = check_metadata(metadata)
    with transaction.atomic():
        volume = _locked(ctx, volume_id, "volume:update")
        volume.metadata = metadata if replace else {**volume.metadata, **metadata}
        volume.save(update_fields=["metadata", "updated_at"])
    return volume.metadata


def delete_metadata_key(ctx, volume_id, key):
    with transaction.atomic():
        volume = _locked(ctx, volume_id, "volume:update")
        if key not in volume.metadata:
            raise NotFound(f"Metadata item {key} was not found.")
        del volume.metadata[key]
        volume.save(update_fields=["metadata", "updated_at"])


def delete_volume(ctx, volume_id, cascade=False, force=False):
    with transaction.atomic():
        volume = _locked(ctx, volume_id, "volume:delete")
        if force:
            enforce(ctx, "volume:reset_status")
        if volume.attachments.exclude(status="detached").exists() or volume.status in ("in-use", "attaching",
                                                                                      "reserved", "detaching"):
            raise BadRequest("Invalid volume: Volume status must be available or error or error_restoring or "
                             "error_extending or error_managing and must not be migrating, attached, belong to a "
                             "group, have snapshots, awaiting a transfer, or be disassociated from snapshots "
                             f"after volume transfer. (status {volume.status}, attached)")
        if volume.status not in DELETABLE and not (force and volume.status != "deleting"):
            raise BadRequest("Invalid volume: Volume status must be available or error or error_restoring or "
                             "error_extending or error_managing and must not be migrating, attached, belong to a "
                             f"group, have snapshots or be disassociated from snapshots after volume transfer. "
                             f"(status {volume.status})")
        snapshots = list(volume.snapshots.all())
        if snapshots and not cascade:
            raise BadRequest("Invalid volume: Volume has snapshots: delete them first or use cascade.")
        if any(s.status not in ("available", "error") for s in snapshots):
            raise BadRequest("Invalid volume: a snapshot of this volume is busy.")
        volume.status = "deleting"
        volume.save(update_fields=["status", "updated_at"])
        if volume.backend_id is None:
            # Never placed: nothing exists on any back end.
            Volume.objects.filter(pk=volume.pk).delete()
            return
        Snapshot.objects.filter(volume=volume).update(status="deleting")
        messaging.to_backend(volume.backend.service_host, "delete_volume", volume.id, ctx.request_id)


def extend_volume(ctx, volume_id, new_size):
    new_size = check_size(new_size, "new_size")
    with transaction.atomic():
        volume = _locked(ctx, volume_id, "volume:extend")
        if volume.status != "available":
            raise BadRequest(f"Invalid volume: Volume {volume.id} status must be 'available' to extend, currently "
                             f"in '{volume.status}'")
        if new_size <= volume.size:
            raise BadRequest(f"Invalid input received: New size for extend must be greater than current size. "
                             f"(current: {volume.size}, extended: {new_size}).")
        with quotas.reserve(volume.project_id, gigabytes=new_size - volume.size):
            volume.status = "extending"
            volume.save(update_fields=["status", "updated_at"])
            Backend.objects.filter(pk=volume.backend_id).update(
                allocated_capacity_gb=F("allocated_capacity_gb") + (new_size - volume.size))
            messaging.to_backend(volume.backend.service_host, "extend_volume", volume.id, new_size, ctx.request_id)
    return volume


def set_bootable(ctx, volume_id, bootable):
    with transaction.atomic():
        volume = _locked(ctx, volume_id, "volume:set_bootable")
        volume.bootable = parse_bool(bootable, "bootable")
        volume.save(update_fields=["bootable", "updated_at"])
    return volume


def reset_status(ctx, volume_id, status=None, attach_status=None, migration_status=None):
    enforce(ctx, "volume:reset_status")
    with transaction.atomic():
        volume = _locked(ctx, volume_id, "volume:reset_status")
        if status is not None:
            if status not in VALID_STATUSES:
                raise BadRequest(f"Invalid input received: Must specify a valid status, not {status!r}.")
            volume.status = status
        if attach_status is not None:
            if attach_status not in ("attached", "detached"):
                raise BadRequest("Invalid input received: Must specify a valid attach status.")
            if attach_status == "detached":
                volume.attachments.all().delete()
        if migration_status is not None:
            volume.migration_status = None if migration_status in ("", "none") else check_text(
                migration_status, "migration_status", 32)
        volume.save()
    return volume


def set_image_metadata(ctx, volume_id, metadata):
    metadata = check_metadata(metadata)
    with transaction.atomic():
        volume = _locked(ctx, volume_id, "volume:update")
        volume.image_metadata = {**volume.image_metadata, **metadata}
        volume.save(update_fields=["image_metadata", "updated_at"])
    return volume.image_metadata


def stamp_launched(volume):
    volume.launched_at = timezone.now()


def upload_to_image(ctx, volume_id, image_name=None, disk_format="raw", container_format="bare", force=False,
                    visibility="private", protected=False):
    """os-volume_upload_image: a queued image now, filled by the volume's back end with the volume's bytes."""
    from storage.images.services.images import create_image

    image_name = check_text(image_name, "image_name")
    if disk_format not in ("raw", "qcow2"):
        raise BadRequest(f"Invalid input received: disk_format must be raw or qcow2, not {disk_format!r}.")
    force = parse_bool(force, "force") if force is not None else False
    with transaction.atomic():
        volume = _locked(ctx, volume_id, "volume:update")
        allowed = ("available", "in-use") if force else ("available",)
        if volume.status not in allowed:
            raise BadRequest(f"Invalid volume: Volume status must be available{' or in-use' if force else ''} "
                             f"to upload it to an image, not {volume.status}.")
        image = create_image(ctx, name=image_name or volume.name or volume.id, disk_format=disk_format,
                             container_format=container_format or "bare", visibility=visibility or "private",
                             protected=bool(protected))
        volume.previous_status, volume.status = volume.status, "uploading"
        volume.save(update_fields=["previous_status", "status", "updated_at"])
        messaging.to_backend(volume.backend.service_host, "upload_image", volume.id, image.id, disk_format,
                             ctx.request_id)
    return volume, image
