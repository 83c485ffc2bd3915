"""Glance v2's data: images, their tags and their members (projects an image is shared with)."""

import uuid

from django.db import models


def new_image_id():
    # Glance ids are dashed UUIDs; the clients validate that shape for kernel_id/ramdisk_id.
    return str(uuid.uuid4())


class Image(models.Model):
    STATUSES = ["queued", "saving", "active", "killed", "deleted", "pending_delete", "deactivated",
                "uploading", "importing"]
    VISIBILITIES = ["public", "private", "shared", "community"]
    DISK_FORMATS = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"]
    CONTAINER_FORMATS = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"]

    id = models.CharField(max_length=36, primary_key=True, default=new_image_id)
    name = models.CharField(max_length=255, null=True, blank=True, db_index=True)
    status = models.CharField(max_length=32, default="queued", choices=[(s, s) for s in STATUSES], db_index=True)
    visibility = models.CharField(max_length=16, default="shared", choices=[(v, v) for v in VISIBILITIES],
                                  db_index=True)
    owner = models.CharField(max_length=255, null=True, blank=True, db_index=True)
    size = models.BigIntegerField(null=True, blank=True)
    virtual_size = models.BigIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=32, null=True, blank=True)
    os_hash_algo = models.CharField(max_length=64, null=True, blank=True)
    os_hash_value = models.CharField(max_length=128, null=True, blank=True)
    disk_format = models.CharField(max_length=16, null=True, blank=True)
    container_format = models.CharField(max_length=16, null=True, blank=True)
    min_disk = models.IntegerField(default=0)
    min_ram = models.IntegerField(default=0)
    protected = models.BooleanField(default=False)
    os_hidden = models.BooleanField(default=False)
    # Every other (string) property a client sets: kernel_id, ramdisk_id, hw_*, os_distro, ...
    properties = models.JSONField(default=dict, blank=True)
    # Where the store keeps the data ("<store name>:<its key>"); empty until an upload completes.
    location = models.CharField(max_length=1024, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "visibility"])]

    def __str__(self):
        return f"{self.name or self.id} ({self.status})"


class ImageTag(models.Model):
    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="tag_rows")
    value = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["image", "value"], name="image_tag_unique")]
        indexes = [models.Index(fields=["value"])]

    def __str__(self):
        return self.value


class ImageMember(models.Model):
    """A project a shared image is offered to; the project accepts or rejects it."""

    STATUSES = ["pending", "accepted", "rejected"]

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="members")
    member = models.CharField(max_length=255, db_index=True)
    status = models.CharField(max_length=16, default="pending", choices=[(s, s) for s in STATUSES])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["image", "member"], name="image_member_unique")]

    def __str__(self):
        return f"{self.image_id} -> {self.member} ({self.status})"
