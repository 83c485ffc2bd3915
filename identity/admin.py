from django.contrib import admin

from identity import models


@admin.register(models.Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "enabled")
    search_fields = ("name", "id")


@admin.register(models.DomainConfig)
class DomainConfigAdmin(admin.ModelAdmin):
    list_display = ("domain", "driver")


@admin.register(models.Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "domain", "parent", "enabled")
    list_filter = ("enabled", "domain")
    search_fields = ("name", "id")
    raw_id_fields = ("parent", "auth_group")


@admin.register(models.User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "domain", "enabled", "email")
    list_filter = ("enabled", "domain")
    search_fields = ("name", "id", "email")
    exclude = ("password",)
    raw_id_fields = ("default_project",)


@admin.register(models.Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "domain")
    search_fields = ("name", "id")
    filter_horizontal = ("members",)


@admin.register(models.Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "domain")
    search_fields = ("name", "id")
    filter_horizontal = ("implies",)


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("role", "user", "group", "project", "domain", "system", "inherited")
    list_filter = ("role", "inherited")
    raw_id_fields = ("user", "group", "project", "domain")


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("id", "description", "parent_region")


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "id", "enabled")


@admin.register(models.Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ("service", "interface", "url", "region", "enabled")
    list_filter = ("interface", "region")


@admin.register(models.ApplicationCredential)
class ApplicationCredentialAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "user", "project", "expires_at", "unrestricted")
    exclude = ("secret_hash",)
    raw_id_fields = ("user", "project")


@admin.register(models.RevocationEvent)
class RevocationEventAdmin(admin.ModelAdmin):
    list_display = ("id", "user_id", "project_id", "audit_id", "issued_before", "revoked_at")
