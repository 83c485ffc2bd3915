from django.apps import AppConfig


class VolumesConfig(AppConfig):
    name = "storage.volumes"
    label = "volumes"
    verbose_name = "Block storage (Cinder v3)"
