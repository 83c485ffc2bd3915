"""Neutron's quota API over the shared quota engine (core.quotas), service 'network'."""

from core import quotas
from core.exceptions import Forbidden
from network.models import FloatingIP, Network, Port, Router, SecurityGroup, SecurityGroupRule, Subnet
from network.services.common import bad_request

RESOURCES = {
    "network": (100, Network), "subnet": (100, Subnet), "port": (500, Port), "router": (10, Router),
    "floatingip": (50, FloatingIP), "security_group": (10, SecurityGroup),
    "security_group_rule": (100, SecurityGroupRule),
}


def register():
    for name, (default, model) in RESOURCES.items():
        quotas.register(name, default, lambda project_id, model=model: model.objects.filter(
            project_id=project_id).count(), "network")


def _check_project(ctx, project_id):
    if not ctx.is_admin and project_id != ctx.project_id:
        raise Forbidden("Only admin can view or configure quota of another project.")


def show(ctx, project_id):
    _check_project(ctx, project_id)
    return quotas.limits(project_id, "network")


def defaults(ctx):
    return quotas.defaults("network")


def details(ctx, project_id, names=None):
    _check_project(ctx, project_id)
    limits = quotas.limits(project_id, "network", names)
    used = quotas.usage(project_id, "network", names)
    return {name: {"limit": limits[name], "used": used[name], "reserved": 0} for name in limits}


def update(ctx, project_id, values):
    if not ctx.is_admin:
        raise Forbidden("Only admin can update quotas.")
    if not isinstance(values, dict):
        raise bad_request("Invalid input: quota must be an object.")
    known = quotas.resources("network")
    cleaned = {}
    for name, value in values.items():
        if name in ("project_id", "tenant_id", "force", "check_limit"):
            continue
        if name not in known:
            raise bad_request(f"Unrecognized attribute(s) '{name}'")
        if isinstance(value, str) and value.lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < -1:
            raise bad_request(f"Invalid input for {name}. Reason: '{value}' is not an integer >= -1.")
        cleaned[name] = value
    quotas.set_limits(project_id, cleaned)
    return quotas.limits(project_id, "network")


def reset(ctx, project_id):
    if not ctx.is_admin:
        raise Forbidden("Only admin can delete quotas.")
    quotas.reset_limits(project_id, "network")


def projects_with_quotas(ctx):
    if not ctx.is_admin:
        raise Forbidden("Only admin can list quotas.")
    from core.models import QuotaLimit

    project_ids = sorted(set(QuotaLimit.objects.filter(resource__in=list(RESOURCES)).values_list(
        "project_id", flat=True)))
    return [(pid, quotas.limits(pid, "network")) for pid in project_ids]
