"""Shared by every network service: errors with Neutron's types, visibility, policy, revisions."""

from django.db.models import Q

from core import policy
from core.exceptions import BadRequest, Conflict, Forbidden, NotFound
from core.sharing import object_ids_granted
from network.models import Network


def not_found(error_type, message):
    error = NotFound(message)
    error.error_type = error_type
    return error


def conflict(error_type, message):
    error = Conflict(message)
    error.error_type = error_type
    return error


def bad_request(message, error_type="BadRequest"):
    error = BadRequest(message)
    error.error_type = error_type
    return error


def enforce(ctx, action, target):
    policy.enforce(ctx, f"network:{action}", target)


def owner_project(ctx, body):
    """The project a new resource belongs to: the caller's, or (admin only) the one named in the body."""
    requested = body.get("project_id") or body.get("tenant_id")
    if requested and requested != ctx.project_id:
        if not ctx.is_admin:
            raise Forbidden("Policy doesn't allow specifying another project.")
        return str(requested)
    if not ctx.project_id and not ctx.is_admin:
        raise Forbidden("A project-scoped token is required.")
    return ctx.project_id or ""


def visible_network_q(ctx, action="access_as_shared"):
    """Networks the caller may see: its own, shared or external to all, or granted by RBAC."""
    if ctx.is_admin:
        return Q()
    granted_shared = list(object_ids_granted("network.access_as_shared_network", Network, ctx.project_id))
    granted_external = list(object_ids_granted("network.access_as_external_network", Network, ctx.project_id))
    return (Q(project_id=ctx.project_id) | Q(shared=True) | Q(external=True)
            | Q(id__in=granted_shared + granted_external))


def usable_network_q(ctx):
    """Networks the caller may put ports on: its own, shared to all, or shared with it by RBAC."""
    if ctx.is_admin:
        return Q()
    granted = list(object_ids_granted("network.access_as_shared_network", Network, ctx.project_id))
    return Q(project_id=ctx.project_id) | Q(shared=True) | Q(id__in=granted)


def own_q(ctx):
    return Q() if ctx.is_admin else Q(project_id=ctx.project_id)


def check_string(body, key, max_length=255, allow_none=False):
    value = body.get(key)
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        raise bad_request(f"Invalid input for {key}. Reason: '{value}' is not a valid string.")
    if "\x00" in value:
        raise bad_request(f"Invalid input for {key}. Reason: NUL characters are not allowed.")
    if len(value) > max_length:
        raise bad_request(f"Invalid input for {key}. Reason: '{value}' exceeds maximum length of {max_length}.")
    return value


def check_bool(body, key):
    value = body.get(key)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad_request(f"Invalid input for {key}. Reason: '{value}' is not a valid boolean value.")


def check_list(body, key):
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise bad_request(f"Invalid input for {key}. Reason: '{value}' is not a list.")
    return value


def check_tags(value):
    if not isinstance(value, list) or not all(isinstance(t, str) and 0 < len(t) <= 255 and "\x00" not in t
                                              for t in value):
        raise bad_request("Invalid input for tags. Reason: tags must be a list of strings of 1 to 255 characters.")
    seen = []
    for tag in value:
        if tag not in seen:
            seen.append(tag)
    return seen


def reject_unknown(body, allowed, resource):
    if not isinstance(body, dict):
        raise bad_request(f"Invalid input: '{resource}' must be an object.")
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise bad_request(f"Unrecognized attribute(s) '{', '.join(unknown)}'")


def apply_common(obj, body):
    """name/description/tags from a create or update body."""
    if "name" in body and hasattr(obj, "name"):
        obj.name = check_string(body, "name") if body["name"] is not None else ""
    if "description" in body:
        obj.description = check_string(body, "description") if body["description"] is not None else ""
    if "tags" in body:
        obj.tags = check_tags(body["tags"])


def forbidden(message, error_type="Forbidden"):
    error = Forbidden(message)
    error.error_type = error_type
    return error


def is_external_for(ctx, network):
    """router:external to everyone, or made external for the caller's project by an RBAC policy."""
    if network.external:
        return True
    from network.models import RBACPolicy

    policies = RBACPolicy.objects.filter(network=network, action="access_as_external")
    if ctx.is_admin or network.project_id == ctx.project_id:
        return policies.exists()
    return policies.filter(target_tenant__in=[ctx.project_id, "*"]).exists()
