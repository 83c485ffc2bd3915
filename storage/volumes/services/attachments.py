"""Attaching volumes to servers: Cinder's attachments API (3.27+) and the older os-reserve/os-attach
actions. Connection info comes from the volume's back end driver (for `file`: the file's path and
format), which the compute host's driver attaches."""

from django.db import transaction
from django.utils import timezone

from core.exceptions import BadRequest, NotFound
from core.policy import enforce
from storage.volumes.drivers.base import load_driver
from storage.volumes.models import Attachment, Volume
from storage.volumes.services.common import check_text, get_owned, parse_uuid, scoped
from storage.volumes.services.worker import volume_dict


def _connection_info(volume, connector):
    backend = volume.backend
    if backend is None or not volume.provider_location:
        raise BadRequest(f"Invalid volume: volume {volume.id} has no data on any back end.")
    driver = load_driver(backend.driver, backend.backend, (backend.config or {}).get("options", []))
    info = driver.initialize_connection(volume_dict(volume), connector or {})
    info.setdefault("data", {})["volume_id"] = volume.id
    return info


def _volume(ctx, volume_id):
    return get_owned(ctx, Volume, volume_id, "Volume", "volume:attach", for_update=True)


def get_attachment(ctx, attachment_id, for_update=False):
    canonical = parse_uuid(attachment_id)
    queryset = Attachment.objects.select_related("volume")
    if for_update:
        queryset = queryset.select_for_update()
    row = queryset.filter(pk=canonical).first() if canonical else None
    if row is None or (row.project_id != ctx.project_id and not ctx.is_admin):
        raise NotFound(f"Attachment {attachment_id} could not be found.")
    enforce(ctx, "volume:attach", {"project_id": row.project_id})
    return row


def list_attachments(ctx, params):
    enforce(ctx, "volume:get", {"project_id": ctx.project_id})
    all_tenants = str(params.get("all_tenants", "")).lower() in ("1", "true", "yes")
    queryset = scoped(ctx, Attachment.objects.all(), all_tenants).exclude(status="detached").order_by("-created_at")
    if params.get("volume_id"):
        queryset = queryset.filter(volume_id=params["volume_id"])
    if params.get("instance_id"):
        queryset = queryset.filter(instance_uuid=params["instance_id"])
    return list(queryset)


def create_attachment(ctx, volume_id, instance_uuid=None, connector=None, mode="rw"):
    if mode not in ("rw", "ro"):
        raise BadRequest("Invalid input received: mode must be rw or ro.")
    if connector is not None and not isinstance(connector, dict):
        raise BadRequest("Invalid input received: connector must be an object.")
    with transaction.atomic():
        volume = _volume(ctx, volume_id)
        busy = volume.attachments.exclude(status="detached").exists()
        if volume.status not in ("available", "in-use", "reserved") or (busy and not volume.multiattach):
            raise BadRequest(f"Invalid volume: Volume {volume.id} status must be available or downloading to "
                             f"reserve, but the current status is {volume.status}.")
        attachment = Attachment.objects.create(volume=volume, project_id=volume.project_id,
                                               instance_uuid=check_text(instance_uuid, "instance_uuid", 36),
                                               attach_mode=mode, status="reserved")
        if volume.status == "available":
            volume.status = "reserved"
            volume.save(update_fields=["status", "updated_at"])
        if connector:
            _update(attachment, volume, connector)
    return attachment


def _update(attachment, volume, connector):
    attachment.connector = connector
    attachment.connection_info = _connection_info(volume, connector)
    attachment.attached_host = connector.get("host")
    attachment.mountpoint = connector.get("mountpoint") or attachment.mountpoint
    attachment.status = "attaching"
    attachment.save()
    if volume.status in ("available", "reserved"):
        volume.status = "attaching"
        volume.save(update_fields=["status", "updated_at"])


def update_attachment(ctx, attachment_id, connector):
    if not isinstance(connector, dict):
        raise BadRequest("Invalid input received: connector must be an object.")
    with transaction.atomic():
        attachment = get_attachment(ctx, attachment_id, for_update=True)
        volume = Volume.objects.select_for_update().get(pk=attachment.volume_id)
        _update(attachment, volume, connector)
    return attachment


def complete_attachment(ctx, attachment_id):
    with transaction.atomic():
        attachment = get_attachment(ctx, attachment_id, for_update=True)
        volume = Volume.objects.select_for_update().get(pk=attachment.volume_id)
        attachment.status, attachment.attach_time = "attached", timezone.now()
        attachment.save()
        volume.status = "in-use"
        volume.save(update_fields=["status", "updated_at"])
    return attachment


def delete_attachment(ctx, attachment_id):
    with transaction.atomic():
        attachment = get_attachment(ctx, attachment_id, for_update=True)
        volume = Volume.objects.select_for_update().get(pk=attachment.volume_id)
        attachment.delete()
        remaining = volume.attachments.exclude(status="detached")
        if not remaining.exists():
            volume.status = "available"
        elif not remaining.filter(status="attached").exists():
            volume.status = "reserved"
        volume.save(update_fields=["status", "updated_at"])
    return volume


# -- the older actions (os-reserve … os-detach) ----------------------------------------------------

def reserve(ctx, volume_id):
    with transaction.atomic():
        volume = _volume(ctx, volume_id)
        if volume.status != "available" and not (volume.multiattach and volume.status == "in-use"):
            raise BadRequest(f"Invalid volume: Volume status must be available to reserve, but the status is "
                             f"{volume.status}.")
        volume.status = "attaching"
        volume.save(update_fields=["status", "updated_at"])


def unreserve(ctx, volume_id):
    with transaction.atomic():
        volume = _volume(ctx, volume_id)
        if volume.status == "attaching":
            volume.status = "in-use" if volume.attachments.filter(status="attached").exists() else "available"
            volume.save(update_fields=["status", "updated_at"])


def initialize_connection(ctx, volume_id, connector):
    if not isinstance(connector, dict):
        raise BadRequest("Invalid input received: connector must be an object.")
    volume = get_owned(ctx, Volume, volume_id, "Volume", "volume:attach")
    return _connection_info(volume, connector)


def terminate_connection(ctx, volume_id, connector):
    get_owned(ctx, Volume, volume_id, "Volume", "volume:attach")


def attach(ctx, volume_id, instance_uuid=None, mountpoint=None, mode="rw", host_name=None):
    with transaction.atomic():
        volume = _volume(ctx, volume_id)
        if volume.status not in ("attaching", "available", "reserved") and not volume.multiattach:
            raise BadRequest(f"Invalid volume: Volume status must be attaching, not {volume.status}.")
        Attachment.objects.create(volume=volume, project_id=volume.project_id, instance_uuid=instance_uuid,
                                  mountpoint=check_text(mountpoint, "mountpoint"), attach_mode=mode or "rw",
                                  attached_host=host_name, status="attached", attach_time=timezone.now())
        volume.status = "in-use"
        volume.save(update_fields=["status", "updated_at"])


def begin_detaching(ctx, volume_id):
    with transaction.atomic():
        volume = _volume(ctx, volume_id)
        if volume.status != "in-use":
            raise BadRequest(f"Invalid volume: Unable to detach volume. Volume status must be 'in-use', not "
                             f"{volume.status}.")
        volume.status = "detaching"
        volume.save(update_fields=["status", "updated_at"])


def roll_detaching(ctx, volume_id):
    with transaction.atomic():
        volume = _volume(ctx, volume_id)
        if volume.status == "detaching":
            volume.status = "in-use"
            volume.save(update_fields=["status", "updated_at"])


def detach(ctx, volume_id, attachment_id=None):
    with transaction.atomic():
        volume = _volume(ctx, volume_id)
        attachments = volume.attachments.all()
        if attachment_id:
            attachments = attachments.filter(pk=str(attachment_id))
        if not attachments.exists():
            raise BadRequest(f"Invalid volume: Volume {volume.id} is not attached"
                             f"{' with attachment ' + str(attachment_id) if attachment_id else ''}.")
        attachments.delete()
        volume.status = "in-use" if volume.attachments.exists() else "available"
        volume.save(update_fields=["status", "updated_at"])
