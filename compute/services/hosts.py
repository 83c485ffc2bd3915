"""Compute hosts: registration and heartbeats, capacity claims, services, hypervisors, aggregates, zones."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from compute.models import Aggregate, ComputeNode, ComputeService, Instance
from compute.services.common import check_metadata, check_name, enforce
from core.exceptions import BadRequest, Conflict, NotFound

BINARY = "nova-compute"
NODE_FIELDS = ("id", "host", "hypervisor_hostname", "vcpus", "vcpus_used", "memory_mb", "memory_mb_used",
               "local_gb", "local_gb_used", "cpu_allocation_ratio", "ram_allocation_ratio",
               "disk_allocation_ratio", "reserved_host_memory_mb", "running_vms", "num_io_ops",
               "hypervisor_type", "hypervisor_version", "cpu_info", "service__disabled", "service__forced_down",
               "service__last_seen_up", "service__availability_zone")


# -- registration and reports from the hosts -------------------------------------------------

def register_host(host, resources=None, zone=None):
    """The service and node rows of a host (created or refreshed); capacity from the driver's report."""
    resources = resources or {}
    service, _ = ComputeService.objects.get_or_create(
        host=host, binary=BINARY, defaults={"availability_zone": zone or settings.COMPUTE_AVAILABILITY_ZONE})
    defaults = {"service": service, "host": host}
    for key in ("vcpus", "memory_mb", "local_gb", "hypervisor_type", "hypervisor_version", "cpu_info"):
        if key in resources:
            defaults[key] = resources[key]
    node = ComputeNode.objects.filter(hypervisor_hostname=resources.get("hypervisor_hostname", host)).first()
    if node is None:
        try:
            with transaction.atomic():
                node = ComputeNode.objects.create(
                    hypervisor_hostname=resources.get("hypervisor_hostname", host),
                    cpu_allocation_ratio=settings.COMPUTE_CPU_ALLOCATION_RATIO,
                    ram_allocation_ratio=settings.COMPUTE_RAM_ALLOCATION_RATIO,
                    disk_allocation_ratio=settings.COMPUTE_DISK_ALLOCATION_RATIO, **defaults)
        except IntegrityError:
            node = ComputeNode.objects.get(hypervisor_hostname=resources.get("hypervisor_hostname", host))
    else:
        ComputeNode.objects.filter(pk=node.pk).update(**defaults)
    return service, node


def heartbeat(host, resources, zone=None):
    service, _ = register_host(host, resources, zone)
    ComputeService.objects.filter(pk=service.pk).update(last_seen_up=timezone.now(),
                                                        report_count=F("report_count") + 1)


def host_is_up(host):
    service = ComputeService.objects.filter(host=host, binary=BINARY).first()
    return service is not None and service.is_up()


def host_exists(host):
    return ComputeService.objects.filter(host=host, binary=BINARY).exists()


# -- claims ----------------------------------------------------------------------------------

def _needs(flavor):
    return (int(flavor["vcpus"]), int(flavor["memory_mb"]),
            int(flavor.get("root_gb", 0)) + int(flavor.get("ephemeral_gb", 0)) + (int(flavor.get("swap", 0)) + 1023)
            // 1024)


def claim(host, flavor):
    """Take the flavor's room on the host's node, or return False when it no longer fits.

    One conditional UPDATE: the database evaluates the free room and writes the new totals under the
    row lock, so two requests racing for the last room can never both succeed.
    """
    vcpus, ram, disk = _needs(flavor)
    updated = ComputeNode.objects.filter(
        host=host,
        vcpus_used__lte=F("vcpus") * F("cpu_allocation_ratio") - vcpus,
        memory_mb_used__lte=F("memory_mb") * F("ram_allocation_ratio") - F("reserved_host_memory_mb") - ram,
        local_gb_used__lte=F("local_gb") * F("disk_allocation_ratio") - disk,
    ).update(vcpus_used=F("vcpus_used") + vcpus, memory_mb_used=F("memory_mb_used") + ram,
             local_gb_used=F("local_gb_used") + disk, running_vms=F("running_vms") + 1)
    return updated == 1


def release(host, flavor):
    if not host or not flavor:
        return
    vcpus, ram, disk = _needs(flavor)
    ComputeNode.objects.filter(host=host).update(
        vcpus_used=Greatest(F("vcpus_used") - vcpus, Value(0)),
        memory_mb_used=Greatest(F("memory_mb_used") - ram, Value(0)),
        local_gb_used=Greatest(F("local_gb_used") - disk, Value(0)),
        running_vms=Greatest(F("running_vms") - 1, Value(0)))


def host_states():
    """Every compute node as the scheduler's HostState, in one query (+ one for aggregates)."""
    from compute.scheduler import host_states_from_rows
    from compute.scheduler.host_state import with_up_and_enabled

    # up/enabled computed by the database: two booleans per row instead of timestamps to convert.
    fields = [f for f in NODE_FIELDS if f not in ("service__disabled", "service__forced_down",
                                                  "service__last_seen_up")]
    rows = with_up_and_enabled(ComputeNode.objects.all()).values(*fields, "up", "enabled")
    aggregates = Aggregate.objects.values("name", "metadata", "availability_zone", "hosts")
    return host_states_from_rows(list(rows), aggregates=list(aggregates))


# -- os-services -----------------------------------------------------------------------------

def list_services(ctx, host=None, binary=None):
    enforce(ctx, "os_compute_api:os-services:list")
    queryset = ComputeService.objects.order_by("id")
    if host:
        queryset = queryset.filter(host=host)
    if binary:
        queryset = queryset.filter(binary=binary)
    return list(queryset)


def _service(host, binary=BINARY):
    service = ComputeService.objects.filter(host=host, binary=binary).first()
    if service is None:
        raise NotFound(f"Compute service of {host} could not be found.")
    return service


def update_service(ctx, service_id=None, host=None, binary=BINARY, status=None, disabled_reason=None,
                   forced_down=None):
    enforce(ctx, "os_compute_api:os-services:update")
    if service_id is not None:
        service = ComputeService.objects.filter(pk=service_id).first() if str(service_id).isdigit() else None
        if service is None:
            raise NotFound(f"Service {service_id} could not be found.")
    else:
        service = _service(host, binary)
    if status is not None:
        if status not in ("enabled", "disabled"):
            raise BadRequest("Invalid 'status' value: must be 'enabled' or 'disabled'")
        service.disabled = status == "disabled"
        service.disabled_reason = (disabled_reason if service.disabled else None)
    elif disabled_reason is not None:
        if not service.disabled:
            raise BadRequest("disabled_reason needs the service to be disabled")
        service.disabled_reason = disabled_reason
    if forced_down is not None:
        if not isinstance(forced_down, bool):
            raise BadRequest("forced_down must be a boolean")
        service.forced_down = forced_down
    service.save()
    return service


def delete_service(ctx, service_id):
    enforce(ctx, "os_compute_api:os-services:delete")
    service = ComputeService.objects.filter(pk=service_id).first() if str(service_id).isdigit() else None
    if service is None:
        raise NotFound(f"Service {service_id} could not be found.")
    if Instance.objects.filter(host=service.host, deleted=False).exists():
        raise Conflict("Unable to delete compute service that is hosting instances.")
    service.delete()


# -- os-hypervisors --------------------------------------------------------------------------

def list_hypervisors(ctx, pattern=None):
    enforce(ctx, "os_compute_api:os-hypervisors:list")
    queryset = ComputeNode.objects.select_related("service").order_by("id")
    if pattern:
        queryset = queryset.filter(hypervisor_hostname__icontains=pattern)
    return list(queryset)


def get_hypervisor(ctx, hypervisor_id):
    enforce(ctx, "os_compute_api:os-hypervisors:show")
    node = None
    if str(hypervisor_id).isdigit():
        node = ComputeNode.objects.select_related("service").filter(pk=int(hypervisor_id)).first()
    if node is None:
        raise NotFound(f"Hypervisor with ID '{hypervisor_id}' could not be found.")
    return node


def hypervisor_statistics(ctx):
    enforce(ctx, "os_compute_api:os-hypervisors:statistics")
    nodes = list(ComputeNode.objects.all())
    total = {k: sum(getattr(n, k) for n in nodes) for k in (
        "vcpus", "vcpus_used", "memory_mb", "memory_mb_used", "local_gb", "local_gb_used", "running_vms",
        "current_workload")}
    return {"count": len(nodes), **total, "free_ram_mb": total["memory_mb"] - total["memory_mb_used"],
            "free_disk_gb": total["local_gb"] - total["local_gb_used"], "disk_available_least":
                total["local_gb"] - total["local_gb_used"]}


# -- availability zones ----------------------------------------------------------------------

def zone_of_hosts():
    """{host: zone}: an aggregate's zone wins over the service's own."""
    zones = dict(ComputeService.objects.values_list("host", "availability_zone"))
    for aggregate in Aggregate.objects.exclude(availability_zone__isnull=True).exclude(availability_zone=""):
        for host in aggregate.hosts:
            zones[host] = aggregate.availability_zone
    return zones


def availability_zone_names():
    return set(zone_of_hosts().values()) | {settings.COMPUTE_AVAILABILITY_ZONE}


def availability_zones(ctx, detail=False):
    enforce(ctx, "os_compute_api:os-availability-zone:detail" if detail else
            "os_compute_api:os-availability-zone:list")
    zones = zone_of_hosts()
    services = {s.host: s for s in ComputeService.objects.all()}
    result = {}
    for host, zone in zones.items():
        service = services.get(host)
        entry = result.setdefault(zone, {"available": False, "hosts": {}})
        if service:
            up = service.is_up() and not service.disabled
            entry["available"] = entry["available"] or up
            entry["hosts"][host] = {"nova-compute": {"available": service.is_up(), "active": not service.disabled,
                                                     "updated_at": service.last_seen_up}}
    return result


# -- os-aggregates ---------------------------------------------------------------------------

def list_aggregates(ctx):
    enforce(ctx, "os_compute_api:os-aggregates:index")
    return list(Aggregate.objects.order_by("id"))


def get_aggregate(ctx, aggregate_id):
    enforce(ctx, "os_compute_api:os-aggregates:show")
    aggregate = Aggregate.objects.filter(pk=aggregate_id).first() if str(aggregate_id).isdigit() else None
    if aggregate is None:
        raise NotFound(f"Aggregate {aggregate_id} could not be found.")
    return aggregate


def create_aggregate(ctx, name, availability_zone=None):
    enforce(ctx, "os_compute_api:os-aggregates:create")
    check_name(name)
    if availability_zone is not None:
        check_name(availability_zone, "availability_zone")
    if Aggregate.objects.filter(name=name).exists():
        raise Conflict(f"Aggregate {name} already exists.")
    metadata = {"availability_zone": availability_zone} if availability_zone else {}
    return Aggregate.objects.create(name=name, availability_zone=availability_zone, metadata=metadata)


def update_aggregate(ctx, aggregate_id, name=None, availability_zone=None):
    enforce(ctx, "os_compute_api:os-aggregates:update")
    aggregate = get_aggregate(ctx, aggregate_id)
    if name is not None:
        check_name(name)
        if Aggregate.objects.filter(name=name).exclude(pk=aggregate.pk).exists():
            raise Conflict(f"Aggregate {name} already exists.")
        aggregate.name = name
    if availability_zone is not None:
        aggregate.availability_zone = availability_zone or None
        aggregate.metadata = {**aggregate.metadata, "availability_zone": availability_zone}
    aggregate.save()
    return aggregate


def delete_aggregate(ctx, aggregate_id):
    enforce(ctx, "os_compute_api:os-aggregates:delete")
    aggregate = get_aggregate(ctx, aggregate_id)
    if aggregate.hosts:
        raise BadRequest(f"Cannot remove aggregate {aggregate_id}: it still has hosts.")
    aggregate.delete()


def add_aggregate_host(ctx, aggregate_id, host):
    enforce(ctx, "os_compute_api:os-aggregates:add_host")
    with transaction.atomic():
        aggregate = Aggregate.objects.select_for_update().get(pk=get_aggregate(ctx, aggregate_id).pk)
        if not host_exists(host):
            raise NotFound(f"Compute host {host} could not be found.")
        if host in aggregate.hosts:
            raise Conflict(f"Aggregate {aggregate_id} already has host {host}.")
        aggregate.hosts = [*aggregate.hosts, host]
        aggregate.save()
    return aggregate


def remove_aggregate_host(ctx, aggregate_id, host):
    enforce(ctx, "os_compute_api:os-aggregates:remove_host")
    with transaction.atomic():
        aggregate = Aggregate.objects.select_for_update().get(pk=get_aggregate(ctx, aggregate_id).pk)
        if host not in aggregate.hosts:
            raise NotFound(f"Cannot remove host {host} in aggregate {aggregate_id}: not found.")
        aggregate.hosts = [h for h in aggregate.hosts if h != host]
        aggregate.save()
    return aggregate


def set_aggregate_metadata(ctx, aggregate_id, metadata):
    enforce(ctx, "os_compute_api:os-aggregates:set_metadata")
    if not isinstance(metadata, dict):
        raise BadRequest("metadata must be an object")
    with transaction.atomic():
        aggregate = Aggregate.objects.select_for_update().get(pk=get_aggregate(ctx, aggregate_id).pk)
        merged = dict(aggregate.metadata)
        for key, value in metadata.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = str(value)
        check_metadata(merged)
        aggregate.metadata = merged
        aggregate.availability_zone = merged.get("availability_zone") or None
        aggregate.save()
    return aggregate
