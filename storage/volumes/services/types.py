"""Volume types: extra specs steer volumes to back ends; private types are shared per project."""

from django.db import IntegrityError, transaction
from django.db.models import Q

from core.exceptions import BadRequest, Conflict, NotFound
from core.policy import enforce
from storage.volumes import conf
from storage.volumes.models import VolumeType, VolumeTypeAccess
from storage.volumes.services.common import check_text, parse_bool


def visible_types(ctx):
    queryset = VolumeType.objects.all()
    if ctx.is_admin:
        return queryset
    return queryset.filter(Q(is_public=True) | Q(access__project_id=ctx.project_id)).distinct()


def get_type(ctx, type_id_or_name):
    """By id, else by name, among the types the caller may use; 404 otherwise."""
    queryset = visible_types(ctx)
    found = queryset.filter(pk=str(type_id_or_name)).first() or queryset.filter(name=str(type_id_or_name)).first()
    if found is None:
        raise NotFound(f"Volume type {type_id_or_name} could not be found.")
    return found


def default_type(ctx=None):
    found = VolumeType.objects.filter(name=conf.default_type()).first() or VolumeType.objects.order_by(
        "created_at").first()
    if found is None:
        raise BadRequest("No volume type given and no default volume type exists.")
    return found


def list_types(ctx, is_public=None):
    enforce(ctx, "volume_type:get")
    queryset = visible_types(ctx)
    if is_public not in (None, "", "None"):
        if ctx.is_admin:
            queryset = queryset.filter(is_public=parse_bool(is_public, "is_public"))
    elif not ctx.is_admin:
        pass
    return list(queryset.order_by("name"))


def _check_specs(specs):
    if not isinstance(specs, dict):
        raise BadRequest("Invalid input received: extra_specs must be an object.")
    for key, value in specs.items():
        check_text(key, "extra spec key", allow_none=False)
        if not key:
            raise BadRequest("Invalid input received: extra spec keys must not be empty.")
        if not isinstance(value, (str, int, float, bool)):
            raise BadRequest(f"Invalid input received: extra spec {key} must be a string.")
    return {k: str(v) for k, v in specs.items()}


def create_type(ctx, name, description=None, is_public=True, extra_specs=None):
    enforce(ctx, "volume_type:manage")
    name = check_text(name, "name", allow_none=False).strip()
    if not name:
        raise BadRequest("Invalid input received: volume type name must not be empty.")
    description = check_text(description, "description", 65535)
    specs = _check_specs(extra_specs or {})
    try:
        with transaction.atomic():
            return VolumeType.objects.create(name=name, description=description,
                                             is_public=parse_bool(is_public, "is_public"), extra_specs=specs)
    except IntegrityError:
        raise Conflict(f"Volume Type {name} already exists.") from None


def update_type(ctx, type_id, name=None, description=None, is_public=None):
    enforce(ctx, "volume_type:manage")
    with transaction.atomic():
        volume_type = VolumeType.objects.select_for_update().filter(pk=type_id).first()
        if volume_type is None:
            raise NotFound(f"Volume type {type_id} could not be found.")
        if name is not None:
            volume_type.name = check_text(name, "name", allow_none=False)
        if description is not None:
            volume_type.description = check_text(description, "description", 65535)
        if is_public is not None:
            volume_type.is_public = parse_bool(is_public, "is_public")
        try:
            with transaction.atomic():
                volume_type.save()
        except IntegrityError:
            raise Conflict(f"Volume Type {name} already exists.") from None
    return volume_type


def delete_type(ctx, type_id):
    enforce(ctx, "volume_type:manage")
    with transaction.atomic():
        volume_type = VolumeType.objects.select_for_update().filter(pk=type_id).first()
        if volume_type is None:
            raise NotFound(f"Volume type {type_id} could not be found.")
        if volume_type.volumes.exists():
            raise BadRequest(f"Target volume type {volume_type.name} is still in use.")
        if volume_type.name == conf.default_type():
            raise BadRequest("The default volume type cannot be deleted.")
        volume_type.delete()


def set_extra_specs(ctx, type_id, specs):
    enforce(ctx, "volume_type:manage")
    specs = _check_specs(specs)
    with transaction.atomic():
        volume_type = VolumeType.objects.select_for_update().filter(pk=type_id).first()
        if volume_type is None:
            raise NotFound(f"Volume type {type_id} could not be found.")
        volume_type.extra_specs = {**volume_type.extra_specs, **specs}
        volume_type.save(update_fields=["extra_specs", "updated_at"])
    return volume_type.extra_specs


def get_extra_specs(ctx, type_id):
    return dict(get_type(ctx, type_id).extra_specs)


def delete_extra_spec(ctx, type_id, key):
    enforce(ctx, "volume_type:manage")
    with transaction.atomic():
        volume_type = VolumeType.objects.select_for_update().filter(pk=type_id).first()
        if volume_type is None:
            raise NotFound(f"Volume type {type_id} could not be found.")
        if key not in volume_type.extra_specs:
            raise NotFound(f"Volume Type {type_id} has no extra specs with key {key}.")
        del volume_type.extra_specs[key]
        volume_type.save(update_fields=["extra_specs", "updated_at"])


def list_access(ctx, type_id):
    enforce(ctx, "volume_type:manage")
    volume_type = VolumeType.objects.filter(pk=type_id).first()
    if volume_type is None:
        raise NotFound(f"Volume type {type_id} could not be found.")
    if volume_type.is_public:
        raise NotFound("Access list not available for public volume types.")
    return list(volume_type.access.values_list("project_id", flat=True))


def add_access(ctx, type_id, project_id):
    enforce(ctx, "volume_type:manage")
    project_id = check_text(project_id, "project", 64, allow_none=False)
    volume_type = VolumeType.objects.filter(pk=type_id).first()
    if volume_type is None:
        raise NotFound(f"Volume type {type_id} could not be found.")
    if volume_type.is_public:
        raise BadRequest("Invalid volume type: type access modification is not applicable to public volume type.")
    try:
        with transaction.atomic():
            VolumeTypeAccess.objects.create(volume_type=volume_type, project_id=project_id)
    except IntegrityError:
        raise Conflict(f"Volume type access for {type_id} / {project_id} combination already exists.") from None


def remove_access(ctx, type_id, project_id):
    enforce(ctx, "volume_type:manage")
    deleted, _ = VolumeTypeAccess.objects.filter(volume_type_id=type_id, project_id=str(project_id)).delete()
    if not deleted:
        raise NotFound(f"Volume type access not found for {type_id} / {project_id} combination.")
