from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "storage.images"
    label = "images"
    verbose_name = "Image service (Glance v2)"

    def ready(self):
        from core import quotas
        from core.policy import register_defaults
        from storage.images import usage
        from storage.images.policies import RULES

        register_defaults(RULES)
        # Bytes of image data a project may keep; counted over the images it owns.
        quotas.register("image_storage", 100 * 1024 ** 3, usage.storage_bytes, "image")
        quotas.register("image_count", 1000, usage.image_count, "image")
