"""Where the object store keeps its devices and ring (NEBULA_OBJECT_DEVICES_DIR, README's table)."""

import os
from pathlib import Path

from django.conf import settings


def devices_dir():
    configured = getattr(settings, "OBJECT_DEVICES_DIR", None) or os.environ.get("NEBULA_OBJECT_DEVICES_DIR")
    return Path(configured or Path(settings.STATE_DIR) / "objects")


def ring_path():
    return devices_dir() / "object.ring.json"


REPLICAS = 3
PART_POWER = 8
# Listings never answer more than this many entries per page (Swift's container_listing_limit).
LISTING_LIMIT = 10000
MAX_FILE_SIZE = 5 * 1024 ** 3 + 2
MAX_META_NAME_LENGTH = 128
MAX_META_VALUE_LENGTH = 256
MAX_OBJECT_NAME_LENGTH = 1024
MAX_CONTAINER_NAME_LENGTH = 256
CHUNK_SIZE = 1024 * 1024


def reclaim_age():
    """Seconds a tombstone is kept (then every device drops it); as Swift's reclaim_age, one week."""
    return float(getattr(settings, "OBJECT_RECLAIM_AGE", None) or os.environ.get("NEBULA_OBJECT_RECLAIM_AGE")
                 or 7 * 24 * 3600)
