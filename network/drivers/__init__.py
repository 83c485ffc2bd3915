"""The data-plane driver chosen by NEBULA_NETWORK_DRIVER (default: logical)."""

from django.conf import settings
from django.utils.module_loading import import_string

DRIVERS = {"logical": "network.drivers.logical.LogicalDriver"}
_driver = {}


def get_driver():
    name = getattr(settings, "NETWORK_DRIVER", "logical")
    if name not in _driver:
        _driver[name] = import_string(DRIVERS.get(name, name))()
    return _driver[name]
