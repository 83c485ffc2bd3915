from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "storage.images"
    label = "images"
    verbose_name = "Image service (Glance v2)"
