"""Regions, services and endpoints: the catalog every token carries (cached; changed() on each write)."""

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from core.exceptions import BadRequest, Conflict, NotFound
from identity.models import Endpoint, Region, Service
from identity.services import common
from identity.services.cache import changed

INTERFACES = ("public", "internal", "admin")


# --- regions ---------------------------------------------------------------------------------

def get_region(ctx, region_id):
    region = common.get_or_404(Region, region_id, "region")
    common.enforce(ctx, "identity:get_region", {})
    return region


def list_regions(ctx, parent_region_id=None, **_ignored):
    common.enforce(ctx, "identity:list_regions", {})
    query = Region.objects.all()
    if parent_region_id is not None:
        query = query.filter(parent_region_id=parent_region_id)
    return list(query.order_by("id"))


def _parent_region(value, region_id=None):
    value = common.optional_id(value, "parent_region_id")
    if value is None:
        return None
    if value == region_id:
        raise BadRequest("A region cannot be its own parent.")
    if not Region.objects.filter(id=value).exists():
        raise NotFound(f"Could not find region: {value}.")
    ancestor = value
    while ancestor and region_id:
        ancestor = Region.objects.filter(id=ancestor).values_list("parent_region_id", flat=True).first()
        if ancestor == region_id:
            raise BadRequest("That parent would make a cycle of regions.")
    return value


def create_region(ctx, id=None, description=None, parent_region_id=None, **_ignored):  # noqa: A002 - Keystone's field
    common.enforce(ctx, "identity:create_region", {})
    region_id = common.name(id, "id") if id is not None else common.new_region_id()
    region = Region(id=region_id, description=common.text(description, "description"),
                    parent_region_id=_parent_region(parent_region_id))
    with transaction.atomic():
        if Region.objects.filter(id=region_id).exists():
            raise Conflict(f"Conflict occurred attempting to store region - Duplicate ID, {region_id}.")
        try:
            with transaction.atomic():
                region.save(force_insert=True)
        except IntegrityError:
            raise Conflict(f"Conflict occurred attempting to store region - Duplicate ID, {region_id}.") from None
        changed()
    return region


def update_region(ctx, region_id, **changes):
    common.reject_unknown(changes, ("id", "links", "description", "parent_region_id"), "region")
    with transaction.atomic():
        region = common.get_or_404(Region, region_id, "region", Region.objects.select_for_update())
        common.enforce(ctx, "identity:update_region", {})
        if "id" in changes and changes["id"] != region.id:
            raise BadRequest("The region id cannot be changed.")
        if "description" in changes:
            region.description = common.text(changes["description"], "description")
        if "parent_region_id" in changes:
            region.parent_region_id = _parent_region(changes["parent_region_id"], region.id)
        region.save()
        changed()
    return region


def delete_region(ctx, region_id):
    with transaction.atomic():
        region = common.get_or_404(Region, region_id, "region", Region.objects.select_for_update())
        common.enforce(ctx, "identity:delete_region", {})
        try:
            with transaction.atomic():
                region.delete()
        except ProtectedError:
            raise Conflict(f"Region {region_id} still has child regions or endpoints.") from None
        changed()


# --- services --------------------------------------------------------------------------------

def get_service(ctx, service_id):
    service = common.get_or_404(Service, service_id, "service")
    common.enforce(ctx, "identity:get_service", {})
    return service


def list_services(ctx, type=None, name=None, **_ignored):  # noqa: A002 - Keystone's filter
    common.enforce(ctx, "identity:list_services", {})
    query = Service.objects.all()
    if type is not None:
        query = query.filter(type=type)
    if name is not None:
        query = query.filter(name=name)
    return list(query.order_by("type", "name", "id"))


def create_service(ctx, type=None, name=None, description=None, enabled=True, **_ignored):  # noqa: A002
    common.enforce(ctx, "identity:create_service", {})
    service = Service(type=common.name(type, "type"), name=common.text(name, "name", 255),
                      description=common.text(description, "description"),
                      enabled=common.boolean(enabled, "enabled"))
    with transaction.atomic():
        service.save()
        changed()
    return service


def update_service(ctx, service_id, **changes):
    common.reject_unknown(changes, ("id", "links", "type", "name", "description", "enabled"), "service")
    with transaction.atomic():
        service = common.get_or_404(Service, service_id, "service", Service.objects.select_for_update())
        common.enforce(ctx, "identity:update_service", {})
        if "id" in changes and changes["id"] != service.id:
            raise BadRequest("The service id cannot be changed.")
        if "type" in changes:
            service.type = common.name(changes["type"], "type")
        if "name" in changes:
            service.name = common.text(changes["name"], "name", 255)
        if "description" in changes:
            service.description = common.text(changes["description"], "description")
        if "enabled" in changes:
            service.enabled = common.boolean(changes["enabled"], "enabled")
        service.save()
        changed()
    return service


def delete_service(ctx, service_id):
    with transaction.atomic():
        service = common.get_or_404(Service, service_id, "service", Service.objects.select_for_update())
        common.enforce(ctx, "identity:delete_service", {})
        service.delete()
        changed()


# --- endpoints -------------------------------------------------------------------------------

def get_endpoint(ctx, endpoint_id):
    endpoint = common.get_or_404(Endpoint, endpoint_id, "endpoint")
    common.enforce(ctx, "identity:get_endpoint", {})
    return endpoint


def list_endpoints(ctx, service_id=None, interface=None, region_id=None, **_ignored):
    common.enforce(ctx, "identity:list_endpoints", {})
    query = Endpoint.objects.all()
    if service_id is not None:
        query = query.filter(service_id=service_id)
    if interface is not None:
        query = query.filter(interface=interface)
    if region_id is not None:
        query = query.filter(region_id=region_id)
    return list(query.order_by("service_id", "interface", "id"))


def _interface(value):
    if value not in INTERFACES:
        raise BadRequest(f"Invalid input for field 'interface': {value!r} is not one of {', '.join(INTERFACES)}.")
    return value


def _url(value):
    value = common.name(value, "url")
    if len(value) > 1024 or "://" not in value:
        raise BadRequest(f"Invalid input for field 'url': {value!r} is not a URL.")
    return value


def _region(value):
    value = common.optional_id(value, "region_id")
    if value and not Region.objects.filter(id=value).exists():
        raise NotFound(f"Could not find region: {value}.")
    return value


def _service(value):
    value = common.optional_id(value, "service_id")
    if not value:
        raise BadRequest("Invalid input for field 'service_id': required.")
    if not Service.objects.filter(id=value).exists():
        raise NotFound(f"Could not find service: {value}.")
    return value


def create_endpoint(ctx, service_id=None, interface=None, url=None, region_id=None, region=None, enabled=True,
                    **_ignored):
    common.enforce(ctx, "identity:create_endpoint", {})
    endpoint = Endpoint(service_id=_service(service_id), interface=_interface(interface), url=_url(url),
                        region_id=_region(region_id if region_id is not None else region),
                        enabled=common.boolean(enabled, "enabled"))
    with transaction.atomic():
        endpoint.save()
        changed()
    return endpoint


def update_endpoint(ctx, endpoint_id, **changes):
    common.reject_unknown(changes, ("id", "links", "service_id", "interface", "url", "region_id", "region",
                                    "enabled"), "endpoint")
    with transaction.atomic():
        endpoint = common.get_or_404(Endpoint, endpoint_id, "endpoint", Endpoint.objects.select_for_update())
        common.enforce(ctx, "identity:update_endpoint", {})
        if "id" in changes and changes["id"] != endpoint.id:
            raise BadRequest("The endpoint id cannot be changed.")
        if "service_id" in changes:
            endpoint.service_id = _service(changes["service_id"])
        if "interface" in changes:
            endpoint.interface = _interface(changes["interface"])
        if "url" in changes:
            endpoint.url = _url(changes["url"])
        if "region_id" in changes or "region" in changes:
            endpoint.region_id = _region(changes.get("region_id", changes.get("region")))
        if "enabled" in changes:
            endpoint.enabled = common.boolean(changes["enabled"], "enabled")
        endpoint.save()
        changed()
    return endpoint


def delete_endpoint(ctx, endpoint_id):
    with transaction.atomic():
        endpoint = common.get_or_404(Endpoint, endpoint_id, "endpoint", Endpoint.objects.select_for_update())
        common.enforce(ctx, "identity:delete_endpoint", {})
        endpoint.delete()
        changed()
