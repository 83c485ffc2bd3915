"""Roles and implied roles (a prior role brings the roles it implies into every token that has it)."""

from django.db import transaction

from core.exceptions import BadRequest, Conflict, Forbidden, NotFound
from identity.models import Domain, Role
from identity.services import assignments_query, common
from identity.services.cache import changed

UPDATABLE = ("name", "description", "options")
# Keystone's default `prohibited_implied_role`: nothing may imply admin.
PROHIBITED_IMPLIED = ("admin",)


def _duplicate(name):
    return Conflict(f"Conflict occurred attempting to store role - Duplicate entry found with name {name}.")


def get_role(ctx, role_id):
    role = common.get_or_404(Role, role_id, "role")
    common.enforce(ctx, "identity:get_role", {"role": {"id": role.id, "domain_id": role.domain_id}})
    return role


def list_roles(ctx, name=None, domain_id=None, **_ignored):
    common.enforce(ctx, "identity:list_roles", {})
    query = Role.objects.all()
    if name is not None:
        query = query.filter(name=name)
    # Keystone lists global roles unless a domain is asked for.
    query = query.filter(domain_id=domain_id) if domain_id else query.filter(domain__isnull=True)
    return list(query.order_by("name", "id"))


def create_role(ctx, name=None, domain_id=None, description=None, options=None, **_ignored):
    name = common.name(name)
    domain_id = common.optional_id(domain_id, "domain_id")
    if domain_id and not Domain.objects.filter(id=domain_id).exists():
        raise NotFound(f"Could not find domain: {domain_id}.")
    common.enforce(ctx, "identity:create_role", {"role": {"domain_id": domain_id}})
    role = Role(name=name, domain_id=domain_id, description=common.text(description, "description"),
                options=common.mapping(options, "options"))
    common.insert_unique(role, Role.objects.filter(name__iexact=name, domain_id=domain_id), _duplicate(name))
    return role


def update_role(ctx, role_id, **changes):
    common.reject_unknown(changes, UPDATABLE + ("id", "links", "domain_id"), "role")
    with transaction.atomic():
        role = common.get_or_404(Role, role_id, "role", Role.objects.select_for_update())
        common.enforce(ctx, "identity:update_role", {"role": {"id": role.id, "domain_id": role.domain_id}})
        if "id" in changes and changes["id"] != role.id:
            raise BadRequest("The role id cannot be changed.")
        if "domain_id" in changes and changes["domain_id"] != role.domain_id:
            raise BadRequest("Update of `domain_id` is not allowed.")
        if "name" in changes:
            role.name = common.name(changes["name"])
            if Role.objects.filter(name__iexact=role.name, domain_id=role.domain_id).exclude(id=role.id).exists():
                raise _duplicate(role.name)
        if "description" in changes:
            role.description = common.text(changes["description"], "description")
        if "options" in changes:
            role.options = common.mapping(changes["options"], "options")
        role.save()
        changed()
    return role


def delete_role(ctx, role_id):
    with transaction.atomic():
        role = common.get_or_404(Role, role_id, "role", Role.objects.select_for_update())
        common.enforce(ctx, "identity:delete_role", {"role": {"id": role.id, "domain_id": role.domain_id}})
        role.delete()
        changed()


# --- implied roles ---------------------------------------------------------------------------

def _both(prior_id, implied_id):
    return common.get_or_404(Role, prior_id, "role"), common.get_or_404(Role, implied_id, "role")


def create_implied_role(ctx, prior_id, implied_id):
    prior, implied = _both(prior_id, implied_id)
    common.enforce(ctx, "identity:create_implied_role", {})
    if implied.name in PROHIBITED_IMPLIED:
        raise Forbidden(f"{implied.name} role cannot be an implied role.")
    if implied.domain_id and implied.domain_id != prior.domain_id:
        raise Forbidden("A domain-specific role cannot be implied by a role of another domain.")
    if prior.id in assignments_query.implied_closure([implied.id]):
        raise BadRequest(f"Role {implied.id} already implies {prior.id}: that would be a cycle.")
    with transaction.atomic():
        prior.implies.add(implied)
        changed()
    return prior, implied


def get_implied_role(ctx, prior_id, implied_id):
    prior, implied = _both(prior_id, implied_id)
    common.enforce(ctx, "identity:list_implied_roles", {})
    if not prior.implies.filter(id=implied.id).exists():
        raise NotFound(f"Could not find implied role: {prior.id} implies {implied.id}.")
    return prior, implied


def delete_implied_role(ctx, prior_id, implied_id):
    prior, implied = _both(prior_id, implied_id)
    common.enforce(ctx, "identity:delete_implied_role", {})
    with transaction.atomic():
        if not prior.implies.filter(id=implied.id).exists():
            raise NotFound(f"Could not find implied role: {prior.id} implies {implied.id}.")
        prior.implies.remove(implied)
        changed()


def list_implied_roles(ctx, prior_id):
    prior = common.get_or_404(Role, prior_id, "role")
    common.enforce(ctx, "identity:list_implied_roles", {})
    return prior, list(prior.implies.order_by("name"))


def list_role_inferences(ctx):
    """[(prior, [implied, ...])] for every role that implies something."""
    common.enforce(ctx, "identity:list_implied_roles", {})
    roles = {r.id: r for r in Role.objects.all()}
    result = {}
    for prior_id, implied_id in Role.implies.through.objects.values_list("from_role_id", "to_role_id"):
        result.setdefault(prior_id, []).append(roles[implied_id])
    return [(roles[p], sorted(implied, key=lambda r: r.name)) for p, implied in
            sorted(result.items(), key=lambda item: roles[item[0]].name)]
