"""What the caller may scope a token to (GET /v3/auth/projects, /domains, /system)."""

from identity.models import Domain, Project
from identity.services import assignments_query


def projects_for_caller(ctx):
    ids = assignments_query.projects_with_roles(ctx.user_id)
    return list(Project.objects.filter(id__in=ids, enabled=True, domain__enabled=True).order_by("name"))


def domains_for_caller(ctx):
    ids = assignments_query.domains_with_roles(ctx.user_id)
    return list(Domain.objects.filter(id__in=ids, enabled=True).order_by("name"))


def caller_has_system_roles(ctx):
    return bool(assignments_query.direct_role_ids_on_system(ctx.user_id))
