from django.contrib import admin

from storage.objects.models import Account, Container, ObjectRecord


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("project_id", "created_at")
    search_fields = ("project_id",)


@admin.register(Container)
class ContainerAdmin(admin.ModelAdmin):
    list_display = ("name", "project_id", "read_acl", "write_acl", "updated_at")
    search_fields = ("name", "project_id")


@admin.register(ObjectRecord)
class ObjectRecordAdmin(admin.ModelAdmin):
    list_display = ("name", "container", "size", "etag", "kind", "timestamp", "delete_at")
    list_select_related = ("container",)
    search_fields = ("name",)
    raw_id_fields = ("container",)
