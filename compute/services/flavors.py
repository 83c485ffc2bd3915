"""Flavors, their access lists and extra specs."""

import uuid

from django.db import IntegrityError, transaction
from django.db.models import Q

from compute.models import Flavor, FlavorAccess
from compute.services.common import check_int, check_name, enforce, not_found
from core.exceptions import BadRequest, Conflict


def visible_flavors(ctx, is_public=True):
    """is_public: True (public + ours), False (private only, admin), None (everything for admin)."""
    queryset = Flavor.objects.all()
    if ctx.is_admin:
        if is_public is True:
            return queryset.filter(is_public=True)
        if is_public is False:
            return queryset.filter(is_public=False)
        return queryset
    shared = Q(access__project_id=ctx.project_id) & Q(is_public=False)
    if is_public is False:
        return queryset.filter(shared).distinct()
    return queryset.filter(Q(is_public=True) | shared).distinct()


def get_flavor(ctx, flavor_id):
    flavor = visible_flavors(ctx, is_public=None).filter(flavorid=str(flavor_id)).first()
    if flavor is None:
        raise not_found("Flavor", flavor_id)
    return flavor


def create_flavor(ctx, name, ram, vcpus, disk, flavorid=None, swap=0, ephemeral=0, rxtx_factor=1.0,
                  is_public=True, description=None):
    enforce(ctx, "os_compute_api:os-flavor-manage:create")
    check_name(name)
    fields = {"memory_mb": check_int(ram, "ram", 1), "vcpus": check_int(vcpus, "vcpus", 1),
              "root_gb": check_int(disk, "disk", 0), "swap": check_int(swap or 0, "swap", 0),
              "ephemeral_gb": check_int(ephemeral or 0, "OS-FLV-EXT-DATA:ephemeral", 0)}
    try:
        rxtx = float(rxtx_factor if rxtx_factor is not None else 1.0)
    except (TypeError, ValueError):
        raise BadRequest("rxtx_factor must be a number") from None
    if rxtx <= 0:
        raise BadRequest("rxtx_factor must be positive")
    if not isinstance(is_public, bool):
        raise BadRequest("os-flavor-access:is_public must be a boolean")
    if flavorid in (None, "", "auto"):
        flavorid = str(uuid.uuid4())
    flavorid = check_name(str(flavorid), "id")
    if Flavor.objects.filter(Q(name=name) | Q(flavorid=flavorid)).exists():
        raise Conflict(f"Flavor with name {name} or ID {flavorid} already exists.")
    try:
        with transaction.atomic():
            return Flavor.objects.create(name=name, flavorid=flavorid, rxtx_factor=rxtx, is_public=is_public,
                                         description=description, **fields)
    except IntegrityError:
        raise Conflict(f"Flavor with name {name} or ID {flavorid} already exists.") from None


def update_flavor(ctx, flavor_id, description):
    enforce(ctx, "os_compute_api:os-flavor-manage:update")
    flavor = get_flavor(ctx, flavor_id)
    flavor.description = description
    flavor.save(update_fields=["description", "updated_at"])
    return flavor


def delete_flavor(ctx, flavor_id):
    enforce(ctx, "os_compute_api:os-flavor-manage:delete")
    flavor = get_flavor(ctx, flavor_id)
    from compute.models import Instance

    if Instance.objects.filter(Q(flavor=flavor) | Q(new_flavor=flavor), deleted=False).exists():
        # Nova keeps a copy in the instance; we keep the row while servers use it, hidden from lists.
        flavor.disabled = True
        flavor.name = f"{flavor.name}-deleted-{uuid.uuid4().hex[:8]}"
        flavor.flavorid = f"{flavor.flavorid}-deleted-{uuid.uuid4().hex[:8]}"
        flavor.save()
        return
    flavor.delete()


def flavor_access(ctx, flavor_id):
    enforce(ctx, "os_compute_api:os-flavor-access")
    flavor = get_flavor(ctx, flavor_id)
    if flavor.is_public:
        raise not_found("Access list for public flavor", flavor_id)
    return list(flavor.access.values_list("project_id", flat=True))


def add_flavor_access(ctx, flavor_id, project_id):
    enforce(ctx, "os_compute_api:os-flavor-access:add_tenant_access")
    flavor = get_flavor(ctx, flavor_id)
    if flavor.is_public:
        raise Conflict("Can not add access to a public flavor.")
    if not isinstance(project_id, str) or not project_id:
        raise BadRequest("tenant must be a project id")
    _, created = FlavorAccess.objects.get_or_create(flavor=flavor, project_id=project_id)
    if not created:
        raise Conflict(f"Flavor access already exists for flavor {flavor_id} and project {project_id} combination.")
    return flavor_access(ctx, flavor_id)


def remove_flavor_access(ctx, flavor_id, project_id):
    enforce(ctx, "os_compute_api:os-flavor-access:remove_tenant_access")
    flavor = get_flavor(ctx, flavor_id)
    deleted, _ = FlavorAccess.objects.filter(flavor=flavor, project_id=project_id).delete()
    if not deleted:
        raise not_found(f"Flavor access for flavor {flavor_id} and project", project_id)
    return flavor_access(ctx, flavor_id)


def _check_specs(specs):
    if not isinstance(specs, dict):
        raise BadRequest("extra_specs must be an object")
    for key, value in specs.items():
        if not isinstance(key, str) or not 1 <= len(key) <= 255:
            raise BadRequest(f"Invalid extra spec key {key!r}")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise BadRequest(f"Invalid extra spec value for {key!r}")
    return {k: str(v) for k, v in specs.items()}


def set_extra_specs(ctx, flavor_id, specs):
    enforce(ctx, "os_compute_api:os-flavor-extra-specs:create")
    with transaction.atomic():
        flavor = get_flavor(ctx, flavor_id)
        flavor = Flavor.objects.select_for_update().get(pk=flavor.pk)
        flavor.extra_specs = {**(flavor.extra_specs or {}), **_check_specs(specs)}
        flavor.save(update_fields=["extra_specs", "updated_at"])
    return flavor.extra_specs


def delete_extra_spec(ctx, flavor_id, key):
    enforce(ctx, "os_compute_api:os-flavor-extra-specs:delete")
    with transaction.atomic():
        flavor = Flavor.objects.select_for_update().get(pk=get_flavor(ctx, flavor_id).pk)
        if key not in flavor.extra_specs:
            raise not_found(f"Flavor {flavor_id} has no extra specs with key", key)
        del flavor.extra_specs[key]
        flavor.save(update_fields=["extra_specs", "updated_at"])
