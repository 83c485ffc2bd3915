from django.apps import AppConfig


class ComputeConfig(AppConfig):
    name = "compute"
    label = "compute"
    verbose_name = "Compute (Nova v2.1)"
