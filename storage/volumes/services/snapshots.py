"""Volume snapshots: made by the volume's back end, deleted there too."""

from django.db import transaction

from core import quotas
from core.api.paging import paginate, parse_limit, parse_sort
from core.exceptions import BadRequest
from core.policy import enforce
from storage.volumes import messaging
from storage.volumes.models import Snapshot, Volume
from storage.volumes.services.common import check_metadata, check_text, get_owned, parse_bool, scoped


def get_snapshot(ctx, snapshot_id):
    return get_owned(ctx, Snapshot, snapshot_id, "Snapshot", "volume:snapshot_get")


def list_snapshots(ctx, params):
    enforce(ctx, "volume:snapshot_get", {"project_id": ctx.project_id})
    all_tenants = str(params.get("all_tenants", "")).lower() in ("1", "true", "yes")
    queryset = scoped(ctx, Snapshot.objects.all(), all_tenants, params.get("project_id") if ctx.is_admin else None)
    for key in ("name", "status", "volume_id"):
        if params.get(key):
            queryset = queryset.filter(**{key: params[key]})
    sort = parse_sort([params["sort_key"]] if params.get("sort_key") else [],
                      [params.get("sort_dir", "desc")], ("created_at", "name", "size", "status", "id"))
    return paginate(queryset, parse_limit(params.get("limit")), params.get("marker"), sort)


def create_snapshot(ctx, volume_id, name=None, description=None, force=False, metadata=None):
    name = check_text(name, "name")
    description = check_text(description, "description", 65535)
    metadata = check_metadata(metadata)
    force = parse_bool(force, "force") if force is not None else False
    with transaction.atomic():
        volume = get_owned(ctx, Volume, volume_id, "Volume", "volume:snapshot_create", for_update=True)
        allowed = ("available", "in-use") if force else ("available",)
        if volume.status not in allowed:
            raise BadRequest(f"Invalid volume: Volume {volume.id} status must be available"
                             f"{' or in-use' if force else ''}, but current status is: {volume.status}.")
        with quotas.reserve(volume.project_id, snapshots=1, gigabytes=volume.size):
            snapshot = Snapshot.objects.create(project_id=volume.project_id, user_id=ctx.user_id, volume=volume,
                                               name=name, description=description, size=volume.size,
                                               metadata=metadata, status="creating")
            messaging.to_backend(volume.backend.service_host, "create_snapshot", snapshot.id, ctx.request_id)
    return snapshot


def update_snapshot(ctx, snapshot_id, fields):
    with transaction.atomic():
        snapshot = get_owned(ctx, Snapshot, snapshot_id, "Snapshot", "volume:snapshot_update", for_update=True)
        if "name" in fields:
            snapshot.name = check_text(fields["name"], "name")
        if "description" in fields:
            snapshot.description = check_text(fields["description"], "description", 65535)
        if "metadata" in fields:
            snapshot.metadata = check_metadata(fields["metadata"])
        snapshot.save()
    return snapshot


def delete_snapshot(ctx, snapshot_id):
    with transaction.atomic():
        snapshot = get_owned(ctx, Snapshot, snapshot_id, "Snapshot", "volume:snapshot_delete", for_update=True)
        if snapshot.status not in ("available", "error", "error_deleting"):
            raise BadRequest(f"Invalid snapshot: Snapshot status must be available or error, not {snapshot.status}")
        if Volume.objects.filter(snapshot_id=snapshot.id, status="creating").exists():
            raise BadRequest("Invalid snapshot: a volume is being created from it.")
        snapshot.status = "deleting"
        snapshot.save(update_fields=["status", "updated_at"])
        if not snapshot.provider_location:
            snapshot.delete()
            return
        messaging.to_backend(snapshot.volume.backend.service_host, "delete_snapshot", snapshot.id, ctx.request_id)


def reset_snapshot_status(ctx, snapshot_id, status):
    enforce(ctx, "volume:reset_status")
    if status not in ("available", "error", "creating", "deleting", "error_deleting"):
        raise BadRequest(f"Invalid input received: invalid snapshot status {status!r}.")
    with transaction.atomic():
        snapshot = get_owned(ctx, Snapshot, snapshot_id, "Snapshot", "volume:reset_status", for_update=True)
        snapshot.status = status
        snapshot.save(update_fields=["status", "updated_at"])
    return snapshot
