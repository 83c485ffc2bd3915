"""Server groups: (anti-)affinity and their soft variants, with their members."""

from django.db.models import Prefetch

from compute.models import ServerGroup, ServerGroupMember
from compute.services.common import check_name, enforce, is_uuid
from core import quotas
from core.exceptions import BadRequest, NotFound

POLICIES = ("affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity")


def _members():
    return Prefetch("members", queryset=ServerGroupMember.objects.filter(instance__deleted=False).order_by("id"),
                    to_attr="live_members")


def list_groups(ctx, all_projects=False):
    enforce(ctx, "os_compute_api:os-server-groups:index")
    queryset = ServerGroup.objects.prefetch_related(_members()).order_by("created_at")
    if all_projects:
        enforce(ctx, "os_compute_api:os-server-groups:index:all_projects")
    else:
        queryset = queryset.filter(project_id=ctx.project_id)
    return list(queryset)


def get_group(ctx, group_id):
    enforce(ctx, "os_compute_api:os-server-groups:show")
    group = None
    if is_uuid(group_id):
        group = ServerGroup.objects.prefetch_related(_members()).filter(id=str(group_id)).first()
    if group is None or (group.project_id != ctx.project_id and not ctx.is_admin):
        raise NotFound(f"Instance group {group_id} could not be found.")
    return group


def create_group(ctx, name, policy, rules=None):
    enforce(ctx, "os_compute_api:os-server-groups:create")
    check_name(name)
    if policy not in POLICIES:
        raise BadRequest(f"Invalid input for field/attribute policy. Value: {policy!r}. "
                         f"It must be one of {', '.join(POLICIES)}.")
    rules = rules or {}
    if not isinstance(rules, dict) or (rules and policy != "anti-affinity"):
        raise BadRequest("Only anti-affinity groups take rules (max_server_per_host).")
    with quotas.reserve(ctx.project_id, server_groups=1):
        group = ServerGroup.objects.create(name=name, policy=policy, rules=rules, project_id=ctx.project_id,
                                           user_id=ctx.user_id)
    return get_group(ctx, group.id)


def delete_group(ctx, group_id):
    enforce(ctx, "os_compute_api:os-server-groups:delete")
    get_group(ctx, group_id).delete()


def count_groups(project_id):
    return ServerGroup.objects.filter(project_id=project_id).count()
