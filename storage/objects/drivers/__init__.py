"""Object servers: one driver instance per ring device, found by the device's `driver` name."""

from django.utils.module_loading import import_string

DRIVERS = {
    "local": "storage.objects.drivers.local.LocalDeviceDriver",
}


def driver_for(device):
    return import_string(DRIVERS.get(device.driver, device.driver))(device)
