"""Image records: create, show, list, update (JSON patch), delete, tags, (de)activation."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.dateparse import parse_datetime
from guardian.models import GroupObjectPermission

from core import quotas, sharing
from core.api import paging
from core.exceptions import BadRequest, Conflict, Forbidden, NotFound, RequestEntityTooLarge
from core.policy import enforce
from storage.images.models import Image, ImageMember, ImageTag
from storage.images.services import validation as v
from storage.images.stores import store_for_location

VIEW = "view_image"
SORT_KEYS = {"name", "status", "container_format", "disk_format", "size", "virtual_size", "id", "created_at",
             "updated_at", "visibility", "owner", "min_disk", "min_ram", "protected"}
DEFAULT_LIMIT = 25
MAX_LIMIT = 1000


def _target(image):
    return {"project_id": image.owner or "", "image_id": image.id}


def _with_tags(queryset):
    return queryset.prefetch_related(Prefetch("tag_rows", queryset=ImageTag.objects.order_by("id")))


def visible_images(ctx):
    """Every image the caller may see by id: admin all; else public, community, own, and shared to it."""
    queryset = Image.objects.all()
    if ctx.is_admin:
        return queryset
    project = ctx.project_id
    if not project:
        return queryset.filter(visibility__in=["public", "community"])
    granted = sharing.object_ids_granted(VIEW, Image, project)
    return queryset.filter(Q(visibility__in=["public", "community"]) | Q(owner=project)
                           | Q(visibility="shared", id__in=granted))


def get_image(ctx, image_id, for_update=False):
    """The image if the caller may see it; NotFound otherwise (never say it exists elsewhere)."""
    enforce(ctx, "image:get_image")
    canonical = v.parse_uuid(image_id) if isinstance(image_id, str) else None
    if canonical is None:
        raise NotFound(f"No image found with ID {image_id}")
    queryset = visible_images(ctx)
    if for_update:
        # Lock the row alone: visibility was checked with the same filter.
        ids = list(queryset.filter(pk=canonical).values_list("pk", flat=True))
        image = Image.objects.select_for_update().filter(pk__in=ids).first()
    else:
        image = _with_tags(queryset.filter(pk=canonical)).first()
    if image is None:
        raise NotFound(f"No image found with ID {image_id}")
    return image


def image_tags(image):
    cache = getattr(image, "_prefetched_objects_cache", {})
    if "tag_rows" in cache:
        return [row.value for row in cache["tag_rows"]]
    return list(image.tag_rows.order_by("id").values_list("value", flat=True))


def _check_visibility_change(ctx, image, visibility):
    if visibility == "public" and image.visibility != "public":
        enforce(ctx, "image:publicize_image", _target(image))
    if visibility == "community" and image.visibility != "community":
        enforce(ctx, "image:communitize_image", _target(image))


def _set_tags(image, values):
    ImageTag.objects.filter(image=image).exclude(value__in=values).delete()
    existing = set(ImageTag.objects.filter(image=image).values_list("value", flat=True))
    ImageTag.objects.bulk_create([ImageTag(image=image, value=t) for t in values if t not in existing])


def create_image(ctx, **fields):
    """A queued image record (no data yet). Fields as in Glance's POST /v2/images body."""
    enforce(ctx, "image:add_image", {"project_id": ctx.project_id or ""})
    values = {"visibility": "shared", "owner": ctx.project_id, "min_disk": 0, "min_ram": 0,
              "protected": False, "os_hidden": False}
    properties, tags = {}, []
    image_id = None
    for name, value in fields.items():
        if name == "id":
            image_id = v.parse_uuid(value) if isinstance(value, str) else None
            if image_id is None:
                raise BadRequest(f"Invalid value for id: {value!r} is not a UUID.")
        elif name == "tags":
            tags = v.tags(value)
        elif name in v.BASE:
            values[name] = v.base_value(name, value)
        else:
            v.property_name(name)
            value = v.property_value(name, value)
            if value is not None:
                properties[name] = value
    v.check_format_mix(values.get("disk_format"), values.get("container_format"))
    if values["owner"] != ctx.project_id:
        enforce(ctx, "image:set_owner", {"project_id": values["owner"] or ""})
    probe = Image(owner=values["owner"], visibility="shared")
    _check_visibility_change(ctx, probe, values["visibility"])
    with quotas.reserve(values["owner"] or "", image_count=1) if values["owner"] else transaction.atomic():
        if image_id and Image.objects.filter(pk=image_id).exists():
            raise Conflict(f"Image with identifier {image_id} already exists!")
        image = Image.objects.create(**({"id": image_id} if image_id else {}), properties=properties, **values)
        _set_tags(image, tags)
    return get_image(ctx, image.id)


def _parse_pointer(path):
    if not isinstance(path, str) or not path.startswith("/") or path.count("/") != 1:
        raise BadRequest(f"Invalid JSON pointer for this resource: '{path}'")
    name = path[1:].replace("~1", "/").replace("~0", "~")
    if not name:
        raise BadRequest(f"Invalid JSON pointer for this resource: '{path}'")
    return name


def parse_patch(operations):
    """[(op, attribute, value)] from a JSON-patch document (application/openstack-images-v2.1-json-patch)."""
    if not isinstance(operations, list):
        raise BadRequest("Request body must be a JSON array of operation objects.")
    result = []
    for operation in operations:
        if not isinstance(operation, dict):
            raise BadRequest("Operations must be JSON objects.")
        op = operation.get("op")
        if op not in ("add", "replace", "remove"):
            raise BadRequest(f"Invalid operation: {op!r}. Allowed: add, replace, remove.")
        if "path" not in operation:
            raise BadRequest("Unable to find 'path' in JSON Schema change")
        name = _parse_pointer(operation["path"])
        if op != "remove" and "value" not in operation:
            raise BadRequest(f"Operation {op} requires a member named 'value'.")
        result.append((op, name, operation.get("value")))
    return result


def update_image(ctx, image_id, operations):
    """Apply [(op, attribute, value)] changes (add / replace / remove) as Glance's PATCH does."""
    with transaction.atomic():
        image = get_image(ctx, image_id, for_update=True)
        enforce(ctx, "image:modify_image", _target(image))
        values = {name: getattr(image, name) for name in v.BASE - {"id", "tags"}}
        properties = dict(image.properties)
        tags = image_tags(image)
        for op, name, value in operations:
            if name == "id" or name in v.READ_ONLY:
                raise Forbidden(f"Attribute '{name}' is read-only.")
            if name in v.RESERVED:
                raise Forbidden(f"Attribute '{name}' is reserved.")
            if name in v.BASE:
                if op == "remove":
                    raise Forbidden(f"Attribute '{name}' is a base attribute and cannot be removed.")
                if name == "tags":
                    tags = v.tags(value)
                else:
                    values[name] = v.base_value(name, value)
                continue
            v.property_name(name)
            if op == "remove" or (op == "replace" and name not in properties):
                if name not in properties:
                    raise Conflict(f"Property {name} does not exist.")
            if op == "remove":
                del properties[name]
            else:
                checked = v.property_value(name, value)
                if checked is None:
                    properties.pop(name, None)
                else:
                    properties[name] = checked
        for name in ("disk_format", "container_format"):
            if values[name] != getattr(image, name) and image.status != "queued":
                raise Forbidden(f"Attribute {name} can be only replaced for a queued image.")
        v.check_format_mix(values["disk_format"], values["container_format"])
        if values["owner"] != image.owner:
            enforce(ctx, "image:set_owner", {"project_id": values["owner"] or ""})
        _check_visibility_change(ctx, image, values["visibility"])
        for name, value in values.items():
            setattr(image, name, value)
        image.properties = properties
        image.save()
        _set_tags(image, tags)
    return get_image(ctx, image.id)


def set_image_fields(ctx, image_id, **fields):
    """Set attributes by name (what a form sends); `properties` replaces all extra properties."""
    operations = []
    if "properties" in fields:
        current = get_image(ctx, image_id).properties
        new = fields.pop("properties")
        if not isinstance(new, dict):
            raise BadRequest("properties must be an object")
        operations += [("remove", k, None) for k in current if k not in new]
        operations += [("add", k, val) for k, val in new.items()]
    operations += [("replace", k, val) for k, val in fields.items()]
    return update_image(ctx, image_id, operations)


def delete_image(ctx, image_id):
    with transaction.atomic():
        image = get_image(ctx, image_id, for_update=True)
        enforce(ctx, "image:delete_image", _target(image))
        if image.protected:
            raise Forbidden(f"Image {image.id} is protected and cannot be deleted.")
        location = image.location
        content_type = ContentType.objects.get_for_model(Image)
        GroupObjectPermission.objects.filter(content_type=content_type, object_pk=image.id).delete()
        image.delete()
        if location:
            transaction.on_commit(lambda: store_for_location(location).delete(location))


def add_tag(ctx, image_id, tag):
    with transaction.atomic():
        image = get_image(ctx, image_id, for_update=True)
        enforce(ctx, "image:modify_image", _target(image))
        tags = image_tags(image)
        if tag in tags:
            return
        if len(tag) > 255 or not tag:
            raise BadRequest("A tag must have 1 to 255 characters.")
        if len(tags) >= v.MAX_TAGS:
            raise RequestEntityTooLarge(f"Maximum number of tags ({v.MAX_TAGS}) exceeded.")
        ImageTag.objects.create(image=image, value=tag)
        image.save(update_fields=["updated_at"])


def delete_tag(ctx, image_id, tag):
    with transaction.atomic():
        image = get_image(ctx, image_id, for_update=True)
        enforce(ctx, "image:modify_image", _target(image))
        deleted, _ = ImageTag.objects.filter(image=image, value=tag).delete()
        if not deleted:
            raise NotFound(f"Tag {tag} not found on image {image.id}")
        image.save(update_fields=["updated_at"])


def deactivate_image(ctx, image_id):
    with transaction.atomic():
        image = get_image(ctx, image_id, for_update=True)
        enforce(ctx, "image:deactivate", _target(image))
        if image.status not in ("active", "deactivated"):
            raise BadRequest(f"Not allowed to deactivate image in status '{image.status}'")
        image.status = "deactivated"
        image.save(update_fields=["status", "updated_at"])


def reactivate_image(ctx, image_id):
    with transaction.atomic():
        image = get_image(ctx, image_id, for_update=True)
        enforce(ctx, "image:reactivate", _target(image))
        if image.status not in ("active", "deactivated"):
            raise BadRequest(f"Not allowed to reactivate image in status '{image.status}'")
        image.status = "active"
        image.save(update_fields=["status", "updated_at"])


# --- listing ------------------------------------------------------------------------------------

LIST_PARAMS = {"limit", "marker", "sort_key", "sort_dir", "sort", "visibility", "member_status", "name", "id",
               "status", "owner", "tag", "size_min", "size_max", "created_at", "updated_at", "protected",
               "os_hidden", "disk_format", "container_format"}
TIME_OPERATORS = {"eq": "", "neq": "", "gt": "__gt", "gte": "__gte", "lt": "__lt", "lte": "__lte"}


def _in_values(value):
    if value.startswith("in:"):
        return [item.strip().strip('"') for item in value[3:].split(",") if item.strip()]
    return None


def _bool_param(name, value):
    lowered = value.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise BadRequest(f"Invalid value for {name}: {value!r} is not a boolean.")


def _int_param(name, value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"Invalid value for {name}: {value!r} is not an integer.") from None
    if number < 0:
        raise BadRequest(f"Invalid value for {name}: must be >= 0.")
    return number


def _time_filter(name, value):
    op, sep, text = value.partition(":")
    if not sep or op not in TIME_OPERATORS:
        op, text = "eq", value
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest(f"Invalid value for {name}: {value!r} is not an ISO 8601 time (op:time).")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    condition = Q(**{f"{name}{TIME_OPERATORS[op]}": moment})
    return ~condition if op == "neq" else condition


def _visibility_scope(ctx, visibility, member_status):
    """The base set for a list, as Glance scopes it (community only when asked for)."""
    project = ctx.project_id or ""
    members = ImageMember.objects.filter(member=project)
    if member_status != "all":
        members = members.filter(status=member_status)
    shared_to_me = Q(visibility="shared", id__in=members.values("image_id"))
    if ctx.is_admin:
        scope = Q() if visibility in (None, "all") else Q(visibility=visibility)
        return scope
    if visibility is None:
        return Q(visibility="public") | Q(owner=project) | shared_to_me
    if visibility == "all":
        return Q(visibility__in=["public", "community"]) | Q(owner=project) | shared_to_me
    if visibility in ("public", "community"):
        return Q(visibility=visibility)
    if visibility == "private":
        return Q(visibility="private", owner=project)
    return Q(visibility="shared", owner=project) | shared_to_me


def list_images(ctx, params):
    """(images, has_more, limit) for GET /v2/images; params is a QueryDict-like {name: [values]}."""
    enforce(ctx, "image:get_images")

    def one(name):
        values = params.getlist(name) if hasattr(params, "getlist") else params.get(name, [])
        return values[-1] if values else None

    visibility = one("visibility")
    if visibility is not None and visibility not in Image.VISIBILITIES + ["all"]:
        raise BadRequest(f"Invalid visibility value: {visibility}")
    member_status = one("member_status") or "accepted"
    if member_status not in ImageMember.STATUSES + ["all"]:
        raise BadRequest(f"Invalid status value: {member_status}")
    queryset = Image.objects.filter(_visibility_scope(ctx, visibility, member_status))

    for name in ("name", "id", "status", "owner", "disk_format", "container_format"):
        value = one(name)
        if value is None:
            continue
        listed = _in_values(value)
        if name == "status" and (listed or [value])[0] not in Image.STATUSES:
            raise BadRequest(f"Invalid status value: {value}")
        queryset = queryset.filter(**{f"{name}__in": listed}) if listed is not None else \
            queryset.filter(**{name: value})
    tags = params.getlist("tag") if hasattr(params, "getlist") else params.get("tag", [])
    for tag in tags:
        queryset = queryset.filter(id__in=ImageTag.objects.filter(value=tag).values("image_id"))
    if one("size_min") is not None:
        queryset = queryset.filter(size__gte=_int_param("size_min", one("size_min")))
    if one("size_max") is not None:
        queryset = queryset.filter(size__lte=_int_param("size_max", one("size_max")))
    for name in ("created_at", "updated_at"):
        if one(name) is not None:
            queryset = queryset.filter(_time_filter(name, one(name)))
    if one("protected") is not None:
        queryset = queryset.filter(protected=_bool_param("protected", one("protected")))
    hidden = one("os_hidden")
    queryset = queryset.filter(os_hidden=_bool_param("os_hidden", hidden) if hidden is not None else False)
    keys = params.keys() if hasattr(params, "keys") else []
    for key in keys:
        if key not in LIST_PARAMS:
            if "__" in key or not key:
                raise BadRequest(f"Invalid filter: {key}")
            queryset = queryset.filter(**{f"properties__{key}": one(key)})

    sort = _parse_sort(one("sort"), params.getlist("sort_key") if hasattr(params, "getlist") else [],
                       params.getlist("sort_dir") if hasattr(params, "getlist") else [])
    limit = paging.parse_limit(one("limit"), MAX_LIMIT)
    if limit is None:
        limit = DEFAULT_LIMIT
    marker = one("marker")
    if marker is not None and v.parse_uuid(marker) is None:
        raise BadRequest(f"Marker {marker} could not be found.")
    if marker is not None and not queryset.filter(pk=marker).exists() and \
            not visible_images(ctx).filter(pk=marker).exists():
        raise BadRequest(f"Marker {marker} could not be found.")
    rows, has_more = paging.paginate(_with_tags(queryset), limit, marker, sort)
    return rows, has_more


def _parse_sort(sort, keys, dirs):
    if sort:
        if keys or dirs:
            raise BadRequest("The 'sort' parameter may not be combined with sort_key / sort_dir.")
        keys, dirs = [], []
        for item in sort.split(","):
            key, _, direction = item.strip().partition(":")
            keys.append(key)
            dirs.append(direction or "desc")
    if len(dirs) > len(keys):
        raise BadRequest("More sort directions than sort keys were given.")
    if keys and not dirs:
        dirs = ["desc"]
    return paging.parse_sort(keys, dirs, SORT_KEYS)


def quota_usage(ctx, project_id):
    """{resource: {"used", "limit"}} of the image quotas of a project (its members or an admin)."""
    if not ctx.is_admin and project_id != ctx.project_id:
        raise Forbidden("Only the project itself or an admin may read its image quotas.")
    limits, used = quotas.limits(project_id, "image"), quotas.usage(project_id, "image")
    return {name: {"used": used[name], "limit": limits[name]} for name in limits}
