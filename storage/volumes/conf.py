"""Block storage settings: a Django setting of the same name wins, else the environment (README's table).

NEBULA_VOLUME_BACKENDS lists this host's back ends as `name=driver[:option]` separated by commas:
`file=file:/var/lib/nebula/volumes` (a `file` back end under that directory; `file:DIR:raw` for raw
files instead of qcow2) or `bulk=fake` (no data, for scale tests; `fake:SIZE_GB` sets its capacity).
A back end worker serves the back ends whose queues `volume.<NEBULA_VOLUME_HOST>@<name>` it consumes.
"""

import os
import socket
from pathlib import Path

from django.conf import settings


def _get(name, env, default):
    value = getattr(settings, name, None)
    if value is not None:
        return value
    return os.environ.get(env, default)


def volume_host():
    return _get("VOLUME_HOST", "NEBULA_VOLUME_HOST", "") or socket.gethostname()


def availability_zone():
    return _get("VOLUME_AVAILABILITY_ZONE", "NEBULA_VOLUME_ZONE", "nova")


def backends():
    """{name: {"driver": ..., "options": [...]}} for this host."""
    default = f"file=file:{Path(settings.STATE_DIR) / 'volumes'}"
    raw = _get("VOLUME_BACKENDS", "NEBULA_VOLUME_BACKENDS", default)
    result = {}
    for item in str(raw).split(","):
        item = item.strip()
        if not item:
            continue
        name, _, spec = item.partition("=")
        driver, *options = spec.split(":") if spec else ["fake"]
        result[name.strip()] = {"driver": driver.strip(), "options": options}
    return result


def report_interval():
    return float(_get("VOLUME_REPORT_INTERVAL", "NEBULA_VOLUME_REPORT_INTERVAL", "10"))


def service_down_time():
    return int(_get("VOLUME_SERVICE_DOWN_TIME", "NEBULA_VOLUME_SERVICE_DOWN_TIME", "60"))


def create_timeout():
    """Seconds a volume may stay `creating` (or a snapshot/backup in its busy state) before it is failed."""
    return int(_get("VOLUME_CREATE_TIMEOUT", "NEBULA_VOLUME_CREATE_TIMEOUT", "300"))


def default_type():
    return _get("VOLUME_DEFAULT_TYPE", "NEBULA_VOLUME_DEFAULT_TYPE", "__DEFAULT__")


def scheduler_filters():
    value = _get("VOLUME_SCHEDULER_FILTERS", "NEBULA_VOLUME_SCHEDULER_FILTERS",
                 "AvailabilityZoneFilter,CapacityFilter,CapabilitiesFilter")
    return [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else list(value)


def scheduler_weighers():
    value = _get("VOLUME_SCHEDULER_WEIGHERS", "NEBULA_VOLUME_SCHEDULER_WEIGHERS", "CapacityWeigher")
    return [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else list(value)


def max_over_subscription_ratio():
    return float(_get("VOLUME_MAX_OVER_SUBSCRIPTION_RATIO", "NEBULA_VOLUME_MAX_OVER_SUBSCRIPTION_RATIO", "20.0"))


def backup_chunk_size():
    return int(_get("VOLUME_BACKUP_CHUNK_SIZE", "NEBULA_VOLUME_BACKUP_CHUNK_SIZE", str(4 * 1024 * 1024)))


def backup_container():
    return _get("VOLUME_BACKUP_CONTAINER", "NEBULA_VOLUME_BACKUP_CONTAINER", "volumebackups")


SCHEDULER_QUEUE = "volume-scheduler"
BACKUP_QUEUE = "volume-backup"


def backend_queue(service_host):
    """The Celery queue of one back end: volume.<host>@<backend>."""
    return f"volume.{service_host}"
