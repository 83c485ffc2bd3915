"""Back end reports (capacity, capabilities, heartbeat), the service list and the pools for admins."""

from django.db import transaction
from django.utils import timezone

from core.exceptions import BadRequest, NotFound
from core.policy import enforce
from storage.volumes import conf
from storage.volumes.models import Backend, Service


def report(host, backend, driver, options, stats, availability_zone="nova"):
    """A back end worker's periodic report: one Backend row per pool, the cinder-volume heartbeat."""
    now = timezone.now()
    capabilities = dict(stats.get("capabilities") or {})
    with transaction.atomic():
        for pool in stats.get("pools") or []:
            name = f"{host}@{backend}#{pool['pool_name']}"
            values = {"host": host, "backend": backend, "pool": pool["pool_name"], "driver": driver,
                      "availability_zone": availability_zone,
                      "total_capacity_gb": float(pool.get("total_capacity_gb") or 0),
                      "free_capacity_gb": float(pool.get("free_capacity_gb") or 0),
                      "reserved_percentage": int(pool.get("reserved_percentage") or 0),
                      "thin_provisioning_support": bool(pool.get("thin_provisioning_support")),
                      "max_over_subscription_ratio": float(pool.get("max_over_subscription_ratio")
                                                           or conf.max_over_subscription_ratio()),
                      "capabilities": {**capabilities, **{k: v for k, v in pool.items() if k != "pool_name"}},
                      "config": {"options": list(options)}, "updated_at": now}
            Backend.objects.update_or_create(name=name, defaults=values)
        heartbeat("cinder-volume", f"{host}@{backend}", availability_zone, now)


def heartbeat(binary, host, availability_zone="nova", now=None):
    now = now or timezone.now()
    updated = Service.objects.filter(binary=binary, host=host).update(updated_at=now,
                                                                       availability_zone=availability_zone)
    if not updated:
        Service.objects.get_or_create(binary=binary, host=host,
                                      defaults={"updated_at": now, "availability_zone": availability_zone})


def is_up(service, now=None):
    now = now or timezone.now()
    return bool(service.updated_at and (now - service.updated_at).total_seconds() <= conf.service_down_time())


def list_services(ctx, host=None, binary=None):
    enforce(ctx, "volume:services")
    queryset = Service.objects.all().order_by("binary", "host")
    if host:
        queryset = queryset.filter(host=host)
    if binary:
        queryset = queryset.filter(binary=binary)
    return list(queryset)


def set_service_disabled(ctx, host, binary, disabled, reason=None):
    enforce(ctx, "volume:services")
    if not host or not binary:
        raise BadRequest("Invalid input received: host and binary are required.")
    with transaction.atomic():
        service = Service.objects.select_for_update().filter(host=host, binary=binary).first()
        if service is None:
            raise NotFound(f"Service {binary} on host {host} could not be found.")
        service.disabled, service.disabled_reason = disabled, (reason if disabled else None)
        service.save()
        if binary == "cinder-volume":
            hostname, _, backend = host.partition("@")
            Backend.objects.filter(host=hostname, backend=backend).update(disabled=disabled)
    return service


def list_pools(ctx, volume_type=None):
    enforce(ctx, "volume:get_pools")
    queryset = Backend.objects.all().order_by("name")
    rows = list(queryset)
    if volume_type:
        from storage.volumes.scheduler.filters.capabilities_filter import CapabilitiesFilter
        from storage.volumes.scheduler.state import BackendState, VolumeRequest
        from storage.volumes.services.types import get_type

        spec = VolumeRequest(size=0, extra_specs=dict(get_type(ctx, volume_type).extra_specs))
        rows = [r for r in rows if CapabilitiesFilter().passes(BackendState.from_row(r), spec)]
    return rows


def ensure_configured(availability_zone=None):
    """Bootstrap: a row per configured back end of this host (capacity 0 until its worker reports)."""
    host = conf.volume_host()
    zone = availability_zone or conf.availability_zone()
    for name, spec in conf.backends().items():
        Backend.objects.get_or_create(
            name=f"{host}@{name}#{name}",
            defaults={"host": host, "backend": name, "pool": name, "driver": spec["driver"],
                      "availability_zone": zone, "config": {"options": spec["options"]},
                      "capabilities": {"volume_backend_name": name}})
