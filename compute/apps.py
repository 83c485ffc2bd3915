from django.apps import AppConfig


class ComputeConfig(AppConfig):
    name = "compute"
    label = "compute"
    verbose_name = "Compute (Nova v2.1)"

    def ready(self):
        from compute.policies import RULES
        from core.policy import register_defaults

        register_defaults(RULES)
        self._register_quotas()
        from compute import tasks  # noqa: F401 - tasks are sent by name; registering them lets eager mode run them

    @staticmethod
    def _register_quotas():
        from compute.services import server_groups, servers
        from core import quotas

        def zero(project_id):
            return 0

        def count_keypairs(project_id):
            from compute.models import KeyPair

            return KeyPair.objects.filter(project_id=project_id).count()

        for name, default, count in (
                ("instances", 10, servers.count_instances), ("cores", 20, servers.count_cores),
                ("ram", 51200, servers.count_ram), ("key_pairs", 100, count_keypairs),
                ("server_groups", 10, server_groups.count_groups), ("server_group_members", 10, zero),
                ("metadata_items", 128, zero), ("injected_files", 5, zero),
                ("injected_file_content_bytes", 10240, zero), ("injected_file_path_bytes", 255, zero)):
            quotas.register(name, default, count, "compute")
