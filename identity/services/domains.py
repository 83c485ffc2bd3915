"""Domains: create, list, show, update, delete (only once disabled, as Keystone)."""

from django.contrib.auth.models import Group as AuthGroup
from django.db import IntegrityError, transaction

from core.exceptions import BadRequest, Conflict, Forbidden
from identity.models import Domain, Group, Project, User
from identity.services import common, revocation
from identity.services.cache import changed

UPDATABLE = ("name", "description", "enabled", "tags", "options")


def _target(domain):
    return {"domain": {"id": domain.id}}


def get_domain(ctx, domain_id):
    domain = common.get_or_404(Domain, domain_id, "domain")
    common.enforce(ctx, "identity:get_domain", _target(domain))
    return domain


def list_domains(ctx, name=None, enabled=None):
    common.enforce(ctx, "identity:list_domains", {})
    query = Domain.objects.all()
    if name is not None:
        query = query.filter(name=name)
    enabled = common.query_bool(enabled, "enabled")
    if enabled is not None:
        query = query.filter(enabled=enabled)
    return list(query.order_by("name"))


def _check_name_free(name, exclude_id=None):
    clash = Domain.objects.filter(name=name)
    if exclude_id:
        clash = clash.exclude(id=exclude_id)
    if clash.exists():
        raise Conflict(f"Conflict occurred attempting to store domain - Duplicate entry found with name {name}.")


def create_domain(ctx, name=None, description=None, enabled=True, tags=None, options=None, **extra):
    common.enforce(ctx, "identity:create_domain", {})
    name = common.name(name)
    domain = Domain(name=name, description=common.text(description, "description"),
                    enabled=common.boolean(enabled, "enabled"), tags=common.tags(tags),
                    options=common.mapping(options, "options"))
    with transaction.atomic():
        _check_name_free(name)
        try:
            with transaction.atomic():
                domain.save()
        except IntegrityError:
            raise Conflict(f"Conflict occurred attempting to store domain - Duplicate entry found with name {name}.") \
                from None
    return domain


def update_domain(ctx, domain_id, **changes):
    common.reject_unknown(changes, UPDATABLE + ("id", "links"), "domain")
    if "id" in changes and changes["id"] != domain_id:
        raise BadRequest("The domain id cannot be changed.")
    with transaction.atomic():
        domain = common.get_or_404(Domain, domain_id, "domain", Domain.objects.select_for_update())
        common.enforce(ctx, "identity:update_domain", _target(domain))
        was_enabled = domain.enabled
        if "name" in changes:
            domain.name = common.name(changes["name"])
            _check_name_free(domain.name, domain.id)
        if "description" in changes:
            domain.description = common.text(changes["description"], "description")
        if "enabled" in changes:
            domain.enabled = common.boolean(changes["enabled"], "enabled")
            if not domain.enabled and domain.id == Domain.DEFAULT_ID:
                # The bootstrap's admin lives there: disabling it would lock every operator out.
                raise Forbidden("The default domain cannot be disabled.")
        if "tags" in changes:
            domain.tags = common.tags(changes["tags"])
        if "options" in changes:
            domain.options = common.mapping(changes["options"], "options")
        domain.save()
        if was_enabled and not domain.enabled:
            revocation.revoke(domain_id=domain.id)
        changed()
    return domain


def delete_domain(ctx, domain_id):
    with transaction.atomic():
        domain = common.get_or_404(Domain, domain_id, "domain", Domain.objects.select_for_update())
        common.enforce(ctx, "identity:delete_domain", _target(domain))
        if domain.enabled:
            raise Forbidden("Cannot delete a domain that is enabled, please disable it first.")
        # A domain takes its projects (leaves first), users and groups with it, as Keystone does.
        projects = list(Project.objects.filter(domain=domain).values_list("id", "parent_id"))
        remaining = {pid: parent for pid, parent in projects}
        while remaining:
            parents = set(remaining.values())
            leaves = [pid for pid in remaining if pid not in parents]
            if not leaves:  # a cycle cannot happen, but never loop forever
                leaves = list(remaining)
            groups = list(Project.objects.filter(id__in=leaves).values_list("auth_group_id", flat=True))
            Project.objects.filter(id__in=leaves).delete()
            AuthGroup.objects.filter(id__in=[g for g in groups if g]).delete()
            for pid in leaves:
                remaining.pop(pid)
        Group.objects.filter(domain=domain).delete()
        User.objects.filter(domain=domain).delete()
        domain.delete()
        revocation.revoke(domain_id=domain_id)
        changed()
