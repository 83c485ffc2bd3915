from django.contrib import admin

from storage.images import models


class ImageTagInline(admin.TabularInline):
    model = models.ImageTag
    extra = 0


class ImageMemberInline(admin.TabularInline):
    model = models.ImageMember
    extra = 0


@admin.register(models.Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "status", "visibility", "owner", "disk_format", "size", "protected", "created_at")
    list_filter = ("status", "visibility", "disk_format", "protected")
    search_fields = ("name", "id", "owner", "checksum")
    readonly_fields = ("size", "virtual_size", "checksum", "os_hash_algo", "os_hash_value", "location",
                       "created_at", "updated_at")
    inlines = [ImageTagInline, ImageMemberInline]


@admin.register(models.ImageMember)
class ImageMemberAdmin(admin.ModelAdmin):
    list_display = ("image", "member", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("member", "image__id", "image__name")
    raw_id_fields = ("image",)
