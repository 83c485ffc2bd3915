from django.apps import AppConfig


class VolumesConfig(AppConfig):
    name = "storage.volumes"
    label = "volumes"
    verbose_name = "Block storage (Cinder v3)"

    def ready(self):
        from core import quotas
        from core.policy import register_defaults
        from storage.volumes import usage
        from storage.volumes.policies import RULES

        register_defaults(RULES)
        quotas.register("volumes", 10, usage.volume_count, "volume")
        quotas.register("gigabytes", 1000, usage.gigabytes, "volume")
        quotas.register("snapshots", 10, usage.snapshot_count, "volume")
        quotas.register("backups", 10, usage.backup_count, "volume")
        quotas.register("backup_gigabytes", 1000, usage.backup_gigabytes, "volume")
