"""Glance v2 bodies: a bare image object (no envelope), lists with first/next/schema, members."""

import datetime

from storage.images.services import image_tags


def timestamp(moment):
    if moment is None:
        return None
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def image(img):
    body = dict(img.properties)
    body.update({
        "id": img.id,
        "name": img.name,
        "status": img.status,
        "visibility": img.visibility,
        "owner": img.owner,
        "size": img.size,
        "virtual_size": img.virtual_size,
        "checksum": img.checksum,
        "os_hash_algo": img.os_hash_algo,
        "os_hash_value": img.os_hash_value,
        "disk_format": img.disk_format,
        "container_format": img.container_format,
        "min_disk": img.min_disk,
        "min_ram": img.min_ram,
        "protected": img.protected,
        "os_hidden": img.os_hidden,
        "tags": image_tags(img),
        "created_at": timestamp(img.created_at),
        "updated_at": timestamp(img.updated_at),
        "file": f"/v2/images/{img.id}/file",
        "self": f"/v2/images/{img.id}",
        "schema": "/v2/schemas/image",
    })
    if img.location:
        body["stores"] = img.location.partition(":")[0]
    return body


def member(row):
    return {
        "image_id": row.image_id,
        "member_id": row.member,
        "status": row.status,
        "created_at": timestamp(row.created_at),
        "updated_at": timestamp(row.updated_at),
        "schema": "/v2/schemas/member",
    }
