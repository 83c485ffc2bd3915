"""Block storage records: volume types, volumes, snapshots, backups, attachments, back-end pools, services."""

import uuid

from django.db import models


def new_id():
    return str(uuid.uuid4())


class VolumeType(models.Model):
    """Picks back ends: `extra_specs` are matched against the pools' capabilities by the scheduler."""

    id = models.CharField(primary_key=True, max_length=36, default=new_id)
    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True, null=True)
    is_public = models.BooleanField(default=True)
    extra_specs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.name


class VolumeTypeAccess(models.Model):
    volume_type = models.ForeignKey(VolumeType, on_delete=models.CASCADE, related_name="access")
    project_id = models.CharField(max_length=64)

    class Meta:
        unique_together = [("volume_type", "project_id")]


class Backend(models.Model):
    """One pool of one back end of one volume host, as Cinder names it: host@backend#pool.

    Capacity comes from the back end worker's periodic report; `allocated_capacity_gb` is what the
    scheduler has claimed on it (updated atomically with each placement and each delete)."""

    name = models.CharField(max_length=255, unique=True)  # host@backend#pool
    host = models.CharField(max_length=255)
    backend = models.CharField(max_length=255)
    pool = models.CharField(max_length=255)
    driver = models.CharField(max_length=64)
    availability_zone = models.CharField(max_length=255, default="nova")
    total_capacity_gb = models.FloatField(default=0)
    free_capacity_gb = models.FloatField(default=0)
    allocated_capacity_gb = models.FloatField(default=0)
    reserved_percentage = models.IntegerField(default=0)
    max_over_subscription_ratio = models.FloatField(default=20.0)
    thin_provisioning_support = models.BooleanField(default=True)
    capabilities = models.JSONField(default=dict, blank=True)
    config = models.JSONField(default=dict, blank=True)  # the driver's options (directory, format)
    disabled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(null=True, blank=True)  # the last report (heartbeat)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def service_host(self):
        return f"{self.host}@{self.backend}"

    def __str__(self):
        return self.name


class Service(models.Model):
    """cinder-scheduler, cinder-volume (host@backend) and cinder-backup with their heartbeats."""

    binary = models.CharField(max_length=64)
    host = models.CharField(max_length=255)
    availability_zone = models.CharField(max_length=255, default="nova")
    disabled = models.BooleanField(default=False)
    disabled_reason = models.CharField(max_length=255, blank=True, null=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("binary", "host")]


class Volume(models.Model):
    id = models.CharField(primary_key=True, max_length=36, default=new_id)
    project_id = models.CharField(max_length=64, db_index=True)
    user_id = models.CharField(max_length=64, blank=True, null=True)
    name = models.CharField(max_length=255, blank=True, null=True, db_index=True)
    description = models.TextField(blank=True, null=True)
    size = models.IntegerField()
    status = models.CharField(max_length=32, default="creating", db_index=True)
    status_reason = models.TextField(blank=True, null=True)  # why it is in an error state
    previous_status = models.CharField(max_length=32, blank=True, null=True)  # to return to after a backup
    migration_status = models.CharField(max_length=32, blank=True, null=True)
    availability_zone = models.CharField(max_length=255, default="nova")
    volume_type = models.ForeignKey(VolumeType, on_delete=models.PROTECT, related_name="volumes")
    host = models.CharField(max_length=255, blank=True, null=True)  # host@backend#pool once scheduled
    backend = models.ForeignKey(Backend, on_delete=models.SET_NULL, null=True, blank=True, related_name="volumes")
    provider_location = models.TextField(blank=True, null=True)  # the driver's handle (a path for `file`)
    bootable = models.BooleanField(default=False)
    multiattach = models.BooleanField(default=False)
    metadata = models.JSONField(default=dict, blank=True)
    image_metadata = models.JSONField(default=dict, blank=True)  # volume_image_metadata
    source_volid = models.CharField(max_length=36, blank=True, null=True)
    snapshot_id = models.CharField(max_length=36, blank=True, null=True)
    image_id = models.CharField(max_length=36, blank=True, null=True)
    backup_id = models.CharField(max_length=36, blank=True, null=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.name or self.id


class Snapshot(models.Model):
    id = models.CharField(primary_key=True, max_length=36, default=new_id)
    project_id = models.CharField(max_length=64, db_index=True)
    user_id = models.CharField(max_length=64, blank=True, null=True)
    volume = models.ForeignKey(Volume, on_delete=models.PROTECT, related_name="snapshots")
    name = models.CharField(max_length=255, blank=True, null=True)
    description = models.TextField(blank=True, null=True)
    size = models.IntegerField()
    status = models.CharField(max_length=32, default="creating")
    status_reason = models.TextField(blank=True, null=True)
    progress = models.CharField(max_length=16, default="0%")
    metadata = models.JSONField(default=dict, blank=True)
    provider_location = models.TextField(blank=True, null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)


class Backup(models.Model):
    """A volume's bytes in the object store: one compressed object per chunk, listed in `manifest`
    ([{"index", "object", "sha256", "length"}]). An incremental backup stores only the chunks that
    differ from its parent's and points at the parent's objects for the rest."""

    id = models.CharField(primary_key=True, max_length=36, default=new_id)
    project_id = models.CharField(max_length=64, db_index=True)
    user_id = models.CharField(max_length=64, blank=True, null=True)
    volume_id = models.CharField(max_length=36)
    snapshot_id = models.CharField(max_length=36, blank=True, null=True)
    name = models.CharField(max_length=255, blank=True, null=True)
    description = models.TextField(blank=True, null=True)
    size = models.IntegerField()
    status = models.CharField(max_length=32, default="creating")
    fail_reason = models.TextField(blank=True, null=True)
    availability_zone = models.CharField(max_length=255, default="nova")
    container = models.CharField(max_length=255)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    is_incremental = models.BooleanField(default=False)
    manifest = models.JSONField(default=list, blank=True)
    object_count = models.IntegerField(default=0)
    chunk_size = models.IntegerField(default=0)
    data_timestamp = models.DateTimeField(null=True, blank=True)
    restore_volume_id = models.CharField(max_length=36, blank=True, null=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)


class Attachment(models.Model):
    """A volume's attachment to a server: reserved → attaching → attached → detached."""

    id = models.CharField(primary_key=True, max_length=36, default=new_id)
    volume = models.ForeignKey(Volume, on_delete=models.CASCADE, related_name="attachments")
    project_id = models.CharField(max_length=64)
    instance_uuid = models.CharField(max_length=36, blank=True, null=True)
    attached_host = models.CharField(max_length=255, blank=True, null=True)
    mountpoint = models.CharField(max_length=255, blank=True, null=True)
    attach_mode = models.CharField(max_length=8, default="rw")
    status = models.CharField(max_length=32, default="reserved")
    connector = models.JSONField(default=dict, blank=True)
    connection_info = models.JSONField(default=dict, blank=True)
    attach_time = models.DateTimeField(null=True, blank=True)
    detach_time = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class Message(models.Model):
    """A user-visible event (Cinder's /messages, 3.3+): why a volume, snapshot or backup failed."""

    id = models.CharField(primary_key=True, max_length=36, default=new_id)
    project_id = models.CharField(max_length=64, db_index=True)
    request_id = models.CharField(max_length=64, blank=True, null=True)
    resource_type = models.CharField(max_length=32)
    resource_uuid = models.CharField(max_length=36, blank=True, null=True)
    event_id = models.CharField(max_length=32)
    message_level = models.CharField(max_length=16, default="ERROR")
    user_message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)
