"""The operator's view of every compute record (repairs included: a stuck task_state, a wrong claim)."""

from django.contrib import admin

from compute import models


@admin.register(models.Flavor)
class FlavorAdmin(admin.ModelAdmin):
    list_display = ("name", "flavorid", "vcpus", "memory_mb", "root_gb", "is_public", "disabled")
    list_filter = ("is_public", "disabled")
    search_fields = ("name", "flavorid")


@admin.register(models.KeyPair)
class KeyPairAdmin(admin.ModelAdmin):
    list_display = ("name", "user_id", "project_id", "type", "fingerprint")
    search_fields = ("name", "user_id")


class FaultInline(admin.TabularInline):
    model = models.InstanceFault
    extra = 0


@admin.register(models.Instance)
class InstanceAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "project_id", "vm_state", "task_state", "power_state", "host", "deleted",
                    "created_at")
    list_filter = ("vm_state", "task_state", "deleted", "host")
    search_fields = ("name", "id", "project_id")
    raw_id_fields = ("flavor", "new_flavor", "old_flavor")
    inlines = [FaultInline]


class EventInline(admin.TabularInline):
    model = models.InstanceActionEvent
    extra = 0


@admin.register(models.InstanceAction)
class InstanceActionAdmin(admin.ModelAdmin):
    list_display = ("action", "instance", "request_id", "user_id", "start_time", "message")
    list_filter = ("action",)
    search_fields = ("request_id", "instance__id")
    raw_id_fields = ("instance",)
    inlines = [EventInline]


@admin.register(models.ComputeService)
class ComputeServiceAdmin(admin.ModelAdmin):
    list_display = ("host", "binary", "availability_zone", "disabled", "forced_down", "last_seen_up")
    list_filter = ("disabled", "forced_down", "availability_zone")


@admin.register(models.ComputeNode)
class ComputeNodeAdmin(admin.ModelAdmin):
    list_display = ("hypervisor_hostname", "host", "vcpus", "vcpus_used", "memory_mb", "memory_mb_used",
                    "local_gb", "local_gb_used", "running_vms")
    search_fields = ("hypervisor_hostname", "host")


@admin.register(models.Aggregate)
class AggregateAdmin(admin.ModelAdmin):
    list_display = ("name", "availability_zone", "hosts")


class MemberInline(admin.TabularInline):
    model = models.ServerGroupMember
    extra = 0
    raw_id_fields = ("instance",)


@admin.register(models.ServerGroup)
class ServerGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "policy", "project_id")
    inlines = [MemberInline]
