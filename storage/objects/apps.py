from django.apps import AppConfig


class ObjectsConfig(AppConfig):
    name = "storage.objects"
    label = "objects"
    verbose_name = "Object storage (Swift v1)"

    def ready(self):
        from core.policy import register_defaults
        from storage.objects.policies import RULES

        register_defaults(RULES)
