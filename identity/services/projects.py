"""Projects: a hierarchy inside a domain, with tags; each has a django auth group for per-object sharing."""

from django.contrib.auth.models import Group as AuthGroup
from django.db import transaction

from core.exceptions import BadRequest, Conflict, Forbidden, NotFound
from core.sharing import project_group
from identity.models import Domain, Project
from identity.services import assignments_query, common, revocation
from identity.services.cache import changed

UPDATABLE = ("name", "description", "enabled", "tags", "options")


def _target(project):
    return {"project": {"id": project.id, "domain_id": project.domain_id}}


def _duplicate(name):
    return Conflict(f"Conflict occurred attempting to store project - it is not permitted to have two projects "
                    f"with the same name in the same domain : {name}.")


def get_project(ctx, project_id):
    project = common.get_or_404(Project, project_id, "project")
    common.enforce(ctx, "identity:get_project", _target(project))
    return project


def list_projects(ctx, name=None, domain_id=None, parent_id=None, enabled=None, is_domain=None, tags=None,
                  tags_any=None, **_ignored):
    common.enforce(ctx, "identity:list_projects", {"domain_id": domain_id})
    if common.query_flag(is_domain):
        return []  # projects acting as domains do not exist here
    query = Project.objects.all()
    if name is not None:
        query = query.filter(name=name)
    if domain_id is not None:
        query = query.filter(domain_id=domain_id)
    if parent_id is not None:
        # A top-level project's parent_id is its domain, as Keystone shows it.
        if Domain.objects.filter(id=parent_id).exists():
            query = query.filter(parent__isnull=True, domain_id=parent_id)
        else:
            query = query.filter(parent_id=parent_id)
    enabled = common.query_bool(enabled, "enabled")
    if enabled is not None:
        query = query.filter(enabled=enabled)
    rows = list(query.order_by("name", "id"))
    if tags:
        wanted = set(str(tags).split(","))
        rows = [p for p in rows if wanted <= set(p.tags or [])]
    if tags_any:
        wanted = set(str(tags_any).split(","))
        rows = [p for p in rows if wanted & set(p.tags or [])]
    return rows


def create_project(ctx, name=None, domain_id=None, parent_id=None, description=None, enabled=True, tags=None,
                   options=None, is_domain=False, **extra):
    name = common.name(name)
    domain_id = common.optional_id(domain_id, "domain_id")
    parent_id = common.optional_id(parent_id, "parent_id")
    if common.boolean(is_domain, "is_domain"):
        raise BadRequest("Projects acting as domains are not supported; create a domain instead.")
    parent = None
    if parent_id and not Domain.objects.filter(id=parent_id).exists():
        parent = Project.objects.filter(id=parent_id).first()
        if parent is None:
            raise NotFound(f"Could not find project: {parent_id}.")
    elif parent_id:
        if domain_id and domain_id != parent_id:
            raise BadRequest("A top-level project's parent_id must be its domain.")
        domain_id = parent_id
    if parent is not None:
        if domain_id and domain_id != parent.domain_id:
            raise BadRequest("Cannot create a project in a different domain than its parent.")
        domain_id = parent.domain_id
    domain_id = domain_id or ctx.project_domain_id or ctx.domain_id or Domain.DEFAULT_ID
    domain = Domain.objects.filter(id=domain_id).first()
    if domain is None:
        raise NotFound(f"Could not find domain: {domain_id}.")
    common.enforce(ctx, "identity:create_project", {"project": {"domain_id": domain.id}})
    project = Project(name=name, domain=domain, parent=parent, description=common.text(description, "description"),
                      enabled=common.boolean(enabled, "enabled"), tags=common.tags(tags),
                      options=common.mapping(options, "options"))
    with transaction.atomic():
        common.insert_unique(project, Project.objects.filter(domain=domain, name=name), _duplicate(name))
        project.auth_group = project_group(project.id)
        project.save(update_fields=["auth_group"])
    return project


def update_project(ctx, project_id, **changes):
    common.reject_unknown(changes, UPDATABLE + ("id", "links", "domain_id", "parent_id", "is_domain"), "project")
    with transaction.atomic():
        project = common.get_or_404(Project, project_id, "project", Project.objects.select_for_update())
        common.enforce(ctx, "identity:update_project", _target(project))
        if "id" in changes and changes["id"] != project.id:
            raise BadRequest("The project id cannot be changed.")
        if "domain_id" in changes and changes["domain_id"] != project.domain_id:
            raise BadRequest("Update of `domain_id` is not allowed.")
        if "parent_id" in changes and changes["parent_id"] != (project.parent_id or project.domain_id):
            raise BadRequest("Update of `parent_id` is not allowed.")
        if changes.get("is_domain") not in (None, False):
            raise BadRequest("Update of `is_domain` is not allowed.")
        was_enabled = project.enabled
        if "name" in changes:
            project.name = common.name(changes["name"])
            if Project.objects.filter(domain_id=project.domain_id, name=project.name).exclude(id=project.id).exists():
                raise _duplicate(project.name)
        if "description" in changes:
            project.description = common.text(changes["description"], "description")
        if "enabled" in changes:
            project.enabled = common.boolean(changes["enabled"], "enabled")
        if "tags" in changes:
            project.tags = common.tags(changes["tags"])
        if "options" in changes:
            project.options = common.mapping(changes["options"], "options")
        project.save()
        if was_enabled and not project.enabled:
            revocation.revoke(project_id=project.id)
        changed()
    return project


def delete_project(ctx, project_id):
    with transaction.atomic():
        project = common.get_or_404(Project, project_id, "project", Project.objects.select_for_update())
        common.enforce(ctx, "identity:delete_project", _target(project))
        if Project.objects.filter(parent_id=project.id).exists():
            raise Forbidden(f"Cannot delete the project {project.id} since it is not a leaf in the hierarchy. "
                            "Delete its children first.")
        group_id = project.auth_group_id
        project.delete()
        if group_id:
            AuthGroup.objects.filter(id=group_id).delete()
        revocation.revoke(project_id=project_id)
        changed()


def list_user_projects(ctx, user_id):
    from identity.models import User

    user = common.get_or_404(User, user_id, "user")
    common.enforce(ctx, "identity:list_user_projects", {"user": {"id": user.id}})
    ids = assignments_query.projects_with_roles(user.id)
    return list(Project.objects.filter(id__in=ids).order_by("name", "id"))


def subtree_ids(project_id):
    """The project and every project below it."""
    ids = {project_id}
    frontier = {project_id}
    while frontier:
        frontier = set(Project.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        ids |= frontier
    return ids
