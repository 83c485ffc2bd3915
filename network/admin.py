"""The operator's view of every network record (for inspection and repair)."""

from django.contrib import admin

from network import models


class AllocationInline(admin.TabularInline):
    model = models.IPAllocation
    extra = 0
    raw_id_fields = ("subnet",)


@admin.register(models.Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "project_id", "shared", "external", "network_type", "segmentation_id", "mtu")
    list_filter = ("shared", "external", "network_type")
    search_fields = ("name", "id", "project_id")


@admin.register(models.Subnet)
class SubnetAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "cidr", "gateway_ip", "network", "project_id")
    list_filter = ("ip_version", "enable_dhcp")
    search_fields = ("name", "id", "cidr", "project_id")
    raw_id_fields = ("network",)


@admin.register(models.Port)
class PortAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "network", "mac_address", "device_owner", "device_id", "binding_host_id", "status")
    list_filter = ("status", "device_owner")
    search_fields = ("id", "name", "mac_address", "device_id", "project_id")
    raw_id_fields = ("network",)
    filter_horizontal = ("security_groups",)
    inlines = [AllocationInline]


@admin.register(models.Router)
class RouterAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "project_id", "gateway_network", "status")
    search_fields = ("name", "id", "project_id")
    raw_id_fields = ("gateway_network",)


@admin.register(models.FloatingIP)
class FloatingIPAdmin(admin.ModelAdmin):
    list_display = ("floating_ip_address", "id", "project_id", "fixed_ip_address", "port", "router", "status")
    search_fields = ("floating_ip_address", "id", "project_id", "fixed_ip_address")
    raw_id_fields = ("floating_network", "floating_port", "port", "router")


class RuleInline(admin.TabularInline):
    model = models.SecurityGroupRule
    fk_name = "security_group"
    extra = 0
    raw_id_fields = ("remote_group",)
    exclude = ("tags",)


@admin.register(models.SecurityGroup)
class SecurityGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "project_id", "stateful")
    search_fields = ("name", "id", "project_id")
    inlines = [RuleInline]


@admin.register(models.RBACPolicy)
class RBACPolicyAdmin(admin.ModelAdmin):
    list_display = ("id", "network", "action", "target_tenant", "project_id")
    list_filter = ("action",)
    search_fields = ("id", "target_tenant", "project_id")
    raw_id_fields = ("network",)
