"""Groups and their members. Roles given to a group reach its members through the cache generation."""

from django.db import transaction

from core.exceptions import BadRequest, Conflict, Forbidden, NotFound
from identity import backends
from identity.models import Domain, Group, User
from identity.services import common
from identity.services.cache import changed
from identity.services.users import sync_domains

UPDATABLE = ("name", "description")


def _target(group):
    return {"group": {"id": group.id, "domain_id": group.domain_id}}


def _duplicate(name):
    return Conflict(f"Conflict occurred attempting to store group - Duplicate entry found with name {name}.")


def _require_writable(domain):
    if not backends.for_domain(domain).writable:
        raise Forbidden(f"The identity backend of domain {domain.name} is read-only.")


def get_group(ctx, group_id):
    group = common.get_or_404(Group, group_id, "group")
    common.enforce(ctx, "identity:get_group", _target(group))
    return group


def list_groups(ctx, name=None, domain_id=None, **_ignored):
    common.enforce(ctx, "identity:list_groups", {"domain_id": domain_id})
    for domain in sync_domains(domain_id):
        backends.for_domain(domain).sync_groups(domain)
    query = Group.objects.all()
    if name is not None:
        query = query.filter(name=name)
    if domain_id is not None:
        query = query.filter(domain_id=domain_id)
    return list(query.order_by("name", "id"))


def create_group(ctx, name=None, domain_id=None, description=None, **_ignored):
    name = common.name(name)
    domain_id = common.optional_id(domain_id, "domain_id") or ctx.project_domain_id or ctx.domain_id \
        or Domain.DEFAULT_ID
    domain = Domain.objects.filter(id=domain_id).select_related("config").first()
    if domain is None:
        raise NotFound(f"Could not find domain: {domain_id}.")
    common.enforce(ctx, "identity:create_group", {"group": {"domain_id": domain.id}})
    _require_writable(domain)
    group = Group(name=name, domain=domain, description=common.text(description, "description"))
    common.insert_unique(group, Group.objects.filter(domain=domain, name=name), _duplicate(name))
    return group


def update_group(ctx, group_id, **changes):
    common.reject_unknown(changes, UPDATABLE + ("id", "links", "domain_id"), "group")
    with transaction.atomic():
        group = common.get_or_404(Group, group_id, "group", Group.objects.select_for_update().select_related("domain"))
        common.enforce(ctx, "identity:update_group", _target(group))
        _require_writable(group.domain)
        if "id" in changes and changes["id"] != group.id:
            raise BadRequest("The group id cannot be changed.")
        if "domain_id" in changes and changes["domain_id"] != group.domain_id:
            raise BadRequest("Update of `domain_id` is not allowed.")
        if "name" in changes:
            group.name = common.name(changes["name"])
            if Group.objects.filter(domain_id=group.domain_id, name=group.name).exclude(id=group.id).exists():
                raise _duplicate(group.name)
        if "description" in changes:
            group.description = common.text(changes["description"], "description")
        group.save()
        changed()
    return group


def delete_group(ctx, group_id):
    with transaction.atomic():
        group = common.get_or_404(Group, group_id, "group", Group.objects.select_for_update().select_related("domain"))
        common.enforce(ctx, "identity:delete_group", _target(group))
        _require_writable(group.domain)
        group.delete()
        changed()


def _pair(group_id, user_id):
    group = common.get_or_404(Group, group_id, "group", Group.objects.select_related("domain"))
    user = common.get_or_404(User, user_id, "user")
    return group, user


def add_user_to_group(ctx, group_id, user_id):
    group, user = _pair(group_id, user_id)
    common.enforce(ctx, "identity:add_user_to_group", {**_target(group), "user": {"id": user.id}})
    _require_writable(group.domain)
    with transaction.atomic():
        group.members.add(user)
        changed()


def remove_user_from_group(ctx, group_id, user_id):
    group, user = _pair(group_id, user_id)
    common.enforce(ctx, "identity:remove_user_from_group", {**_target(group), "user": {"id": user.id}})
    _require_writable(group.domain)
    with transaction.atomic():
        if not group.members.filter(id=user.id).exists():
            raise NotFound(f"User '{user.id}' not found in group '{group.id}'.")
        group.members.remove(user)
        changed()


def check_user_in_group(ctx, group_id, user_id):
    group, user = _pair(group_id, user_id)
    common.enforce(ctx, "identity:check_user_in_group", {**_target(group), "user": {"id": user.id}})
    if not group.members.filter(id=user.id).exists():
        raise NotFound(f"User '{user.id}' not found in group '{group.id}'.")
    return True


def list_users_in_group(ctx, group_id):
    group = common.get_or_404(Group, group_id, "group")
    common.enforce(ctx, "identity:list_users_in_group", _target(group))
    return list(group.members.order_by("name", "id"))
