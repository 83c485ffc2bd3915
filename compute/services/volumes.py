"""The compute side of volume attach (Nova's os-volume_attachments): reserve the volume with the block
storage service, have the server's host attach the connection, then complete (or undo) the attachment.

The block storage service is called in-process (its service layer), with the caller's context, as
Nova calls Cinder's API with the user's token. The compute host gets the connection info in its task
message (it has no database) and reports back through the conductor."""

from django.db import transaction

from compute.services import dispatch
from compute.services.servers import get_server
from core.context import RequestContext
from core.exceptions import BadRequest, Conflict, NotFound
from storage.volumes.models import Attachment
from storage.volumes.services import attachments as cinder

ATTACHABLE_STATES = ("active", "stopped", "paused", "suspended")


def _targets_in_use(instance_id):
    return set(Attachment.objects.filter(instance_uuid=instance_id).exclude(status="detached").values_list(
        "mountpoint", flat=True))


def _next_target(instance_id):
    used = {m.rsplit("/", 1)[-1] for m in _targets_in_use(instance_id) if m}
    # vda is the root disk, vdb the config drive.
    for letter in "cdefghijklmnopqrstuvwxyz":
        if f"vd{letter}" not in used:
            return f"vd{letter}"
    raise BadRequest("No free device name left on this server.")


def _attachment_body(attachment):
    return {"id": attachment.volume_id, "volumeId": attachment.volume_id, "serverId": attachment.instance_uuid,
            "device": attachment.mountpoint}


def list_attachments(ctx, server_id):
    instance = get_server(ctx, server_id)
    rows = Attachment.objects.filter(instance_uuid=instance.id).exclude(status="detached").order_by("created_at")
    return [_attachment_body(a) for a in rows]


def get_attachment(ctx, server_id, volume_id):
    instance = get_server(ctx, server_id)
    row = Attachment.objects.filter(instance_uuid=instance.id, volume_id=str(volume_id)).exclude(
        status="detached").first()
    if row is None:
        raise NotFound(f"Volume {volume_id} is not attached to server {server_id}.")
    return _attachment_body(row)


def attach_volume(ctx, server_id, volume_id, device=None):
    if not isinstance(volume_id, str) or not volume_id:
        raise BadRequest("volumeId must be a string.")
    instance = get_server(ctx, server_id)
    if instance.vm_state not in ATTACHABLE_STATES or instance.task_state or not instance.host:
        raise Conflict(f"Cannot 'attach_volume' instance {instance.id} while it is in vm_state {instance.vm_state}")
    with transaction.atomic():
        target = _next_target(instance.id)
        attachment = cinder.create_attachment(ctx, volume_id, instance_uuid=instance.id,
                                              connector={"host": instance.host, "mountpoint": f"/dev/{target}"})
        dispatch.to_host(instance.host, "attach_volume", dispatch.payload(instance), attachment.id,
                         attachment.connection_info, target, ctx.request_id)
    return _attachment_body(attachment)


def detach_volume(ctx, server_id, volume_id):
    instance = get_server(ctx, server_id)
    with transaction.atomic():
        row = Attachment.objects.select_for_update().filter(instance_uuid=instance.id, volume_id=str(volume_id),
                                                            status="attached").first()
        if row is None:
            raise NotFound(f"Volume {volume_id} is not attached to server {server_id}.")
        boot_volumes = {bdm.get("volume_id") for bdm in (instance.request_spec or {}).get("block_devices") or []}
        if row.volume_id in boot_volumes:
            raise BadRequest("Cannot detach a root device volume")
        cinder.begin_detaching(ctx, volume_id)
        dispatch.to_host(instance.host, "detach_volume", dispatch.payload(instance), row.id,
                         row.mountpoint.rsplit("/", 1)[-1], ctx.request_id)


def volume_attached(attachment_id, error=None):
    """Conductor: the host attached the disk (or failed to)."""
    ctx = RequestContext.internal()
    try:
        if error:
            cinder.delete_attachment(ctx, attachment_id)
        else:
            cinder.complete_attachment(ctx, attachment_id)
    except NotFound:
        pass


def volume_detached(attachment_id, volume_id=None, error=None):
    ctx = RequestContext.internal()
    if volume_id is None:
        row = Attachment.objects.filter(pk=attachment_id).first()
        if row is None:
            return
        volume_id = row.volume_id
    try:
        if error:
            cinder.roll_detaching(ctx, volume_id)
        else:
            cinder.delete_attachment(ctx, attachment_id)
    except NotFound:
        pass


def release_all(instance_id):
    """Conductor, after the guest is gone: its volumes are detached (available again), as Nova does on
    delete (the guest and its disks no longer exist, so there is nothing to unplug)."""
    ctx = RequestContext.internal()
    for attachment_id in list(Attachment.objects.filter(instance_uuid=instance_id).values_list("pk", flat=True)):
        try:
            cinder.delete_attachment(ctx, attachment_id)
        except NotFound:
            pass


def annotate(instances):
    """Set `volumes_attached` on each instance with one query, for os-extended-volumes:volumes_attached."""
    instances = list(instances)
    by_id = {}
    for row in Attachment.objects.filter(instance_uuid__in=[i.id for i in instances], status="attached").order_by(
            "created_at").values_list("instance_uuid", "volume_id"):
        by_id.setdefault(row[0], []).append({"id": row[1], "delete_on_termination": False})
    if by_id:
        # delete_on_termination lives in the server's block device mappings (only a boot volume has one).
        from compute.models import Instance

        for instance_id, spec in Instance.objects.filter(id__in=list(by_id)).values_list("id", "request_spec"):
            on_delete = {bdm.get("volume_id") for bdm in (spec or {}).get("block_devices") or []
                         if bdm.get("delete_on_termination")}
            for volume in by_id[instance_id]:
                volume["delete_on_termination"] = volume["id"] in on_delete
    for instance in instances:
        instance.volumes_attached = by_id.get(instance.id, [])
    return instances

