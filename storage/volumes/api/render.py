"""Cinder v3 bodies, as openstacksdk's block_storage resources and openstackclient read them."""

from django.conf import settings

from storage.volumes.services.backends import is_up


def ts(value):
    """Cinder's timestamps: microseconds, no zone."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f") if value else None


def base_url(request):
    public = getattr(settings, "PUBLIC_URL", "") or request.build_absolute_uri("/").rstrip("/")
    return public.rstrip("/") + "/volume"


def links(request, project_id, collection, object_id):
    base = base_url(request)
    return [{"href": f"{base}/v3/{project_id}/{collection}/{object_id}", "rel": "self"},
            {"href": f"{base}/{project_id}/{collection}/{object_id}", "rel": "bookmark"}]


def attachment_summary(attachment):
    return {"id": attachment.volume_id, "attachment_id": attachment.id, "volume_id": attachment.volume_id,
            "server_id": attachment.instance_uuid, "host_name": attachment.attached_host,
            "device": attachment.mountpoint, "attached_at": ts(attachment.attach_time)}


def volume(request, row, ctx, summary=False):
    if summary:
        return {"id": row.id, "name": row.name, "links": links(request, row.project_id, "volumes", row.id)}
    attachments = [attachment_summary(a) for a in row.attachments.all() if a.status == "attached"]
    body = {
        "id": row.id, "name": row.name, "description": row.description, "status": row.status, "size": row.size,
        "availability_zone": row.availability_zone, "created_at": ts(row.created_at),
        "updated_at": ts(row.updated_at), "attachments": attachments,
        "bootable": "true" if row.bootable else "false", "encrypted": False, "multiattach": row.multiattach,
        "volume_type": row.volume_type.name, "volume_type_id": row.volume_type_id,
        "snapshot_id": row.snapshot_id, "source_volid": row.source_volid, "backup_id": row.backup_id,
        "metadata": dict(row.metadata), "links": links(request, row.project_id, "volumes", row.id),
        "user_id": row.user_id, "os-vol-tenant-attr:tenant_id": row.project_id,
        "replication_status": None, "consistencygroup_id": None, "group_id": None, "provider_id": None,
        "service_uuid": None, "shared_targets": False, "cluster_name": None, "encryption_key_id": None,
        "consumes_quota": True, "migration_status": row.migration_status,
    }
    if row.image_metadata:
        body["volume_image_metadata"] = dict(row.image_metadata)
    if ctx.is_admin:
        body["os-vol-host-attr:host"] = row.host
        body["os-vol-mig-status-attr:migstat"] = row.migration_status
        body["os-vol-mig-status-attr:name_id"] = None
    return body


def volume_type(row):
    return {"id": row.id, "name": row.name, "description": row.description, "is_public": row.is_public,
            "os-volume-type-access:is_public": row.is_public, "extra_specs": dict(row.extra_specs),
            "qos_specs_id": None}


def snapshot(request, row, summary=False):
    return {"id": row.id, "name": row.name, "description": row.description, "status": row.status,
            "size": row.size, "volume_id": row.volume_id, "created_at": ts(row.created_at),
            "updated_at": ts(row.updated_at), "metadata": dict(row.metadata), "user_id": row.user_id,
            "os-extended-snapshot-attributes:progress": row.progress,
            "os-extended-snapshot-attributes:project_id": row.project_id, "group_snapshot_id": None,
            "consumes_quota": True}


def backup(request, row, summary=False):
    link = links(request, row.project_id, "backups", row.id)
    if summary:
        return {"id": row.id, "name": row.name, "links": link}
    return {"id": row.id, "name": row.name, "description": row.description, "status": row.status,
            "size": row.size, "volume_id": row.volume_id, "snapshot_id": row.snapshot_id,
            "container": row.container, "availability_zone": row.availability_zone,
            "created_at": ts(row.created_at), "updated_at": ts(row.updated_at),
            "data_timestamp": ts(row.data_timestamp or row.created_at), "is_incremental": row.is_incremental,
            "has_dependent_backups": bool(row.children.all()), "object_count": row.object_count,
            "fail_reason": row.fail_reason, "links": link, "os-backup-project-attr:project_id": row.project_id,
            "user_id": row.user_id, "metadata": dict(row.metadata), "encryption_key_id": None}


def attachment(row):
    return {"id": row.id, "status": row.status, "instance": row.instance_uuid, "volume_id": row.volume_id,
            "attached_at": ts(row.attach_time), "detached_at": ts(row.detach_time), "attach_mode": row.attach_mode,
            "connection_info": row.connection_info or None}


def service(row):
    return {"binary": row.binary, "host": row.host, "zone": row.availability_zone,
            "status": "disabled" if row.disabled else "enabled", "state": "up" if is_up(row) else "down",
            "updated_at": ts(row.updated_at), "disabled_reason": row.disabled_reason, "cluster": None,
            "replication_status": "disabled", "frozen": False, "active_backend_id": None,
            "backend_state": "up" if is_up(row) else "down"}


def pool(row, detail=False):
    body = {"name": row.name}
    if detail:
        body["capabilities"] = {**row.capabilities, "pool_name": row.pool, "volume_backend_name": row.backend,
                                "total_capacity_gb": row.total_capacity_gb,
                                "free_capacity_gb": row.free_capacity_gb,
                                "allocated_capacity_gb": row.allocated_capacity_gb,
                                "provisioned_capacity_gb": row.allocated_capacity_gb,
                                "max_over_subscription_ratio": row.max_over_subscription_ratio,
                                "reserved_percentage": row.reserved_percentage,
                                "thin_provisioning_support": row.thin_provisioning_support,
                                "timestamp": ts(row.updated_at), "availability_zone": row.availability_zone}
    return body


def message(row):
    return {"id": row.id, "event_id": row.event_id, "resource_type": row.resource_type,
            "resource_uuid": row.resource_uuid, "user_message": row.user_message,
            "message_level": row.message_level, "created_at": ts(row.created_at),
            "guaranteed_until": ts(row.expires_at), "request_id": row.request_id, "links": []}
