from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    label = "network"
    verbose_name = "Networking (Neutron v2.0)"

    def ready(self):
        from core.policy import register_defaults
        from network.policies import DEFAULTS
        from network.services import quotas

        register_defaults(DEFAULTS)
        quotas.register()
