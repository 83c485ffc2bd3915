from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = "Identity (Keystone v3)"

    def ready(self):
        from core.policy import register_defaults
        from identity.policies import RULES

        register_defaults(RULES)
