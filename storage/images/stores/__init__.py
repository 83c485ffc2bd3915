"""Image stores: where image data lives. One driver class per file, chosen by settings.IMAGE_STORE."""

from django.conf import settings
from django.utils.module_loading import import_string

DRIVERS = {
    "filesystem": "storage.images.stores.filesystem.FilesystemStore",
    "file": "storage.images.stores.filesystem.FilesystemStore",  # the prefix of its locations
    "objects": "storage.images.stores.objects.ObjectStore",
}

_stores = {}


def get_store(name=None):
    name = name or settings.IMAGE_STORE
    if name not in _stores:
        path = DRIVERS.get(name, name)
        _stores[name] = import_string(path)()
    return _stores[name]


def store_for_location(location):
    """The store that wrote `location` ("<store name>:<key>")."""
    name, _, _key = location.partition(":")
    return get_store(name)
