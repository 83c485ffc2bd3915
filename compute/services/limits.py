"""os-quota-sets and limits: the shared quota engine seen through Nova's names."""

from compute.services.common import enforce
from core import quotas
from core.exceptions import BadRequest

# Nova's quota-set keys at microversion 2.1; the network ones come from the network service's resources.
NOVA_KEYS = ("instances", "cores", "ram", "key_pairs", "metadata_items", "server_groups", "server_group_members",
             "injected_files", "injected_file_content_bytes", "injected_file_path_bytes")
NETWORK_KEYS = {"floating_ips": ("floatingip", "floating_ips"), "fixed_ips": ("fixed_ips",),
                "security_groups": ("security_group", "security_groups"),
                "security_group_rules": ("security_group_rule", "security_group_rules")}


def _network_value(values, key):
    for name in NETWORK_KEYS[key]:
        if name in values:
            return values[name]
    return -1


def _check_target(ctx, project_id, action):
    enforce(ctx, action, {"project_id": project_id})


def quota_set(ctx, project_id, detail=False):
    _check_target(ctx, project_id, "os_compute_api:os-quota-sets:show")
    limits = quotas.limits(project_id)
    result = {key: limits.get(key, -1) for key in NOVA_KEYS}
    for key in NETWORK_KEYS:
        result[key] = _network_value(limits, key)
    if detail:
        usage = quotas.usage(project_id, "compute")
        result = {key: {"limit": value, "in_use": usage.get(key, 0), "reserved": 0} for key, value in result.items()}
    return result


def default_quota_set(ctx, project_id):
    enforce(ctx, "os_compute_api:os-quota-sets:defaults")
    defaults = quotas.defaults()
    result = {key: defaults.get(key, -1) for key in NOVA_KEYS}
    for key in NETWORK_KEYS:
        result[key] = _network_value(defaults, key)
    return result


def update_quota_set(ctx, project_id, values):
    enforce(ctx, "os_compute_api:os-quota-sets:update")
    if not isinstance(values, dict):
        raise BadRequest("quota_set must be an object")
    changes = {}
    for key, value in values.items():
        if key in ("force", "user_id"):
            continue
        if key not in NOVA_KEYS:
            if key in NETWORK_KEYS:
                continue  # deprecated proxies of the network service's quotas; Nova ignores them too
            raise BadRequest(f"Bad key(s) {key} in quota_set")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise BadRequest(f"Invalid input for field/attribute {key}. Value: {value!r}.") from None
        if isinstance(value, bool) or number < -1:
            raise BadRequest(f"Invalid input for field/attribute {key}. Value: {value!r}.")
        changes[key] = number
    quotas.set_limits(project_id, changes)
    return quota_set(ctx, project_id)


def reset_quota_set(ctx, project_id):
    enforce(ctx, "os_compute_api:os-quota-sets:delete")
    quotas.reset_limits(project_id, "compute")


def absolute_limits(ctx, project_id=None):
    project_id = project_id or ctx.project_id
    if project_id != ctx.project_id:
        enforce(ctx, "os_compute_api:limits:other_project")
    limits = quotas.limits(project_id)
    usage = quotas.usage(project_id, "compute")
    return {
        "maxTotalInstances": limits.get("instances", -1), "totalInstancesUsed": usage.get("instances", 0),
        "maxTotalCores": limits.get("cores", -1), "totalCoresUsed": usage.get("cores", 0),
        "maxTotalRAMSize": limits.get("ram", -1), "totalRAMUsed": usage.get("ram", 0),
        "maxTotalKeypairs": limits.get("key_pairs", -1), "maxServerMeta": limits.get("metadata_items", -1),
        "maxImageMeta": limits.get("metadata_items", -1), "maxPersonality": limits.get("injected_files", -1),
        "maxPersonalitySize": limits.get("injected_file_content_bytes", -1),
        "maxServerGroups": limits.get("server_groups", -1), "totalServerGroupsUsed": usage.get("server_groups", 0),
        "maxServerGroupMembers": limits.get("server_group_members", -1),
        "maxTotalFloatingIps": _network_value(limits, "floating_ips"), "totalFloatingIpsUsed": 0,
        "maxSecurityGroups": _network_value(limits, "security_groups"), "totalSecurityGroupsUsed": 0,
        "maxSecurityGroupRules": _network_value(limits, "security_group_rules"),
    }


def instance_usage(ctx, project_id=None):
    """{instances, cores, ram}: used and limit, in two queries (the project overview's cards)."""
    from django.db.models import Count, Sum

    from compute.models import Instance

    project_id = project_id or ctx.project_id
    if project_id != ctx.project_id:
        enforce(ctx, "os_compute_api:limits:other_project")
    limits = quotas.limits(project_id, "compute")
    used = Instance.objects.filter(project_id=project_id, deleted=False).aggregate(
        instances=Count("id"), cores=Sum("flavor__vcpus"), ram=Sum("flavor__memory_mb"))
    return {key: {"used": used[key] or 0, "limit": limits.get(key, -1)} for key in ("instances", "cores", "ram")}
