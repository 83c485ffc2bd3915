"""Django admin registrations: operators see and repair every block storage record."""

from django.contrib import admin

from storage.volumes import models


class AccessInline(admin.TabularInline):
    model = models.VolumeTypeAccess
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = models.Attachment
    extra = 0
    fields = ("id", "instance_uuid", "mountpoint", "status", "attach_mode", "attach_time")
    readonly_fields = ("id",)


@admin.register(models.VolumeType)
class VolumeTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "is_public", "extra_specs", "created_at")
    search_fields = ("name", "id")
    inlines = [AccessInline]


@admin.register(models.Volume)
class VolumeAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "status", "size", "project_id", "host", "volume_type", "bootable", "created_at")
    list_filter = ("status", "bootable", "availability_zone", "volume_type")
    search_fields = ("name", "id", "project_id", "host")
    list_select_related = ("volume_type",)
    inlines = [AttachmentInline]


@admin.register(models.Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "status", "size", "volume_id", "project_id", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "id", "volume__id", "project_id")


@admin.register(models.Backup)
class BackupAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "status", "size", "volume_id", "is_incremental", "object_count", "created_at")
    list_filter = ("status", "is_incremental")
    search_fields = ("name", "id", "volume_id", "project_id")


@admin.register(models.Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("id", "volume_id", "instance_uuid", "status", "mountpoint", "attached_host", "attach_time")
    list_filter = ("status",)
    search_fields = ("id", "volume__id", "instance_uuid")


@admin.register(models.Backend)
class BackendAdmin(admin.ModelAdmin):
    list_display = ("name", "driver", "availability_zone", "total_capacity_gb", "free_capacity_gb",
                    "allocated_capacity_gb", "disabled", "updated_at")
    list_filter = ("driver", "availability_zone", "disabled")
    search_fields = ("name",)


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("binary", "host", "availability_zone", "disabled", "updated_at")
    list_filter = ("binary", "disabled")


@admin.register(models.Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "resource_type", "resource_uuid", "event_id", "user_message", "project_id")
    list_filter = ("resource_type", "event_id")
    search_fields = ("resource_uuid", "project_id", "user_message")
