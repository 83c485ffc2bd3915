from django.apps import AppConfig


class ObjectsConfig(AppConfig):
    name = "storage.objects"
    label = "objects"
    verbose_name = "Object storage (Swift v1)"
