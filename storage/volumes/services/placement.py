"""The volume scheduler's decision: filter and weigh the live pools, then claim one atomically."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.scheduling import NoValidBackend
from storage.volumes import conf, messaging
from storage.volumes.models import Backend, Volume
from storage.volumes.scheduler import pipeline
from storage.volumes.scheduler.filters.capacity_filter import CapacityFilter
from storage.volumes.scheduler.state import BackendState, VolumeRequest
from storage.volumes.services.common import record_error

log = logging.getLogger("nebula.scheduler")


def live_backends():
    cutoff = timezone.now() - timezone.timedelta(seconds=conf.service_down_time())
    return Backend.objects.filter(disabled=False, updated_at__gte=cutoff)


def _claim(volume_id, state, spec):
    """Charge the volume to the pool under its row lock, re-checking capacity against fresh numbers, so
    that two schedulers racing for the last gigabytes cannot both win. True when placed."""
    with transaction.atomic():
        row = Backend.objects.select_for_update().filter(pk=state.pk).first()
        if row is None or not CapacityFilter().passes(BackendState.from_row(row), spec):
            return False
        volume = Volume.objects.select_for_update().filter(pk=volume_id, status="creating").first()
        if volume is None:
            return True  # deleted or failed meanwhile: nothing to place
        changes = {"allocated_capacity_gb": F("allocated_capacity_gb") + spec.size}
        if not row.thin_provisioning_support:
            # Thick: the space is gone now, not at the back end's next report (which corrects the figure).
            changes["free_capacity_gb"] = F("free_capacity_gb") - spec.size
        Backend.objects.filter(pk=row.pk).update(**changes)
        volume.backend, volume.host, volume.scheduled_at = row, row.name, timezone.now()
        volume.availability_zone = row.availability_zone
        volume.save(update_fields=["backend", "host", "scheduled_at", "availability_zone", "updated_at"])
        messaging.to_backend(row.service_host, "create_volume", volume.id, volume.scheduled_at.isoformat())
        return True


def schedule_create(volume_id, forced_backend=None, request_id=None):
    volume = Volume.objects.select_related("volume_type").filter(pk=volume_id).first()
    if volume is None or volume.status != "creating" or volume.backend_id:
        return None
    zone = volume.availability_zone if Backend.objects.filter(
        availability_zone=volume.availability_zone).exists() else None
    spec = VolumeRequest(size=volume.size, extra_specs=dict(volume.volume_type.extra_specs),
                         availability_zone=zone, volume_id=volume.id)
    queryset = live_backends()
    if forced_backend:
        # From a snapshot or a clone: the data is on that back end, so the new volume must be too.
        queryset = queryset.filter(pk=forced_backend)
    states = [BackendState.from_row(row) for row in queryset]
    try:
        candidates = pipeline().select_one(spec, states, alternates=len(states))
        for state in candidates:
            if _claim(volume.id, state, spec):
                return state.host
            log.info("claim of %s GB on %s lost a race; trying the next", spec.size, state.host)
        raise NoValidBackend("Every candidate back end was claimed by concurrent requests.")
    except NoValidBackend as error:
        fail_volume(volume.id, f"No valid backend was found. {error.reason}".strip(), "SCHEDULE_CREATE_VOLUME",
                    request_id)
        return None


def fail_volume(volume_id, reason, event="CREATE_VOLUME", request_id=None, from_statuses=("creating",),
                status="error"):
    with transaction.atomic():
        volume = Volume.objects.select_for_update().filter(pk=volume_id, status__in=from_statuses).first()
        if volume is None:
            return False
        volume.status, volume.status_reason = status, reason
        volume.save(update_fields=["status", "status_reason", "updated_at"])
        record_error(volume.project_id, "VOLUME", volume.id, event, reason, request_id)
    log.warning("volume %s: %s", volume_id, reason)
    return True
