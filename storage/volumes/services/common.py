"""Lookups and checks shared by the volume services."""

import uuid

from django.utils import timezone

from core.exceptions import BadRequest, NotFound
from core.policy import enforce
from storage.volumes.models import Message


def parse_uuid(value):
    try:
        return str(uuid.UUID(str(value)))
    except (TypeError, ValueError, AttributeError):
        return None


def scoped(ctx, queryset, all_tenants=False, project_id=None):
    """The rows the caller may see: their project's, or everyone's for admins asking for all tenants."""
    if ctx.is_admin and (all_tenants or project_id):
        return queryset.filter(project_id=project_id) if project_id else queryset
    return queryset.filter(project_id=ctx.project_id)


def get_owned(ctx, model, object_id, kind, action, for_update=False):
    """The row if the caller's project owns it (or the caller is an admin); 404 otherwise."""
    canonical = parse_uuid(object_id)
    if canonical is None:
        raise NotFound(f"{kind} {object_id} could not be found.")
    queryset = model.objects.all()
    if for_update:
        queryset = queryset.select_for_update()
    row = queryset.filter(pk=canonical).first()
    if row is None or (row.project_id != ctx.project_id and not ctx.is_admin):
        raise NotFound(f"{kind} {object_id} could not be found.")
    enforce(ctx, action, {"project_id": row.project_id})
    return row


def check_size(value, name="size", minimum=1):
    if isinstance(value, bool):
        raise BadRequest(f"Invalid input received: {name} must be an integer, not {value!r}.")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int):
        raise BadRequest(f"Invalid input received: {name} must be an integer, not {value!r}.")
    if value < minimum or value > 2 ** 31 - 1:
        raise BadRequest(f"Invalid input received: {name} must be an integer between {minimum} and 2147483647.")
    return value


def check_text(value, name, max_length=255, allow_none=True):
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"Invalid input received: {name} must be a string.")
    if len(value) > max_length:
        raise BadRequest(f"Invalid input received: {name} is longer than {max_length} characters.")
    if "\x00" in value:
        raise BadRequest(f"Invalid input received: {name} contains a NUL character.")
    return value


def check_metadata(value, name="metadata"):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRequest(f"Invalid input received: {name} must be an object.")
    for key, item in value.items():
        if not isinstance(key, str) or not key or len(key) > 255:
            raise BadRequest(f"Invalid input received: {name} keys must be strings of 1 to 255 characters.")
        if not isinstance(item, str) or len(item) > 255:
            raise BadRequest(f"Invalid input received: {name} values must be strings of at most 255 characters.")
    return dict(value)


def parse_bool(value, name):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "on", "t", "y"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "0", "no", "off", "f", "n"):
        return False
    raise BadRequest(f"Invalid input received: {name} must be a boolean, not {value!r}.")


def record_error(project_id, resource_type, resource_uuid, event_id, text, request_id=None):
    """A user message (GET /messages) saying why something failed; kept 31 days as Cinder does."""
    Message.objects.create(project_id=project_id, resource_type=resource_type, resource_uuid=resource_uuid,
                           event_id=event_id, user_message=text[:4000], request_id=request_id,
                           expires_at=timezone.now() + timezone.timedelta(days=31))
