"""Helpers shared by the networking panels: rows as Neutron-shaped dicts (with a few display fields)
and form choices, all read through network.services with the caller's context."""

from django.urls import NoReverseMatch, reverse

from network import render
from network.services import networks, ports, routers


def rows(kind, queryset, ctx):
    renderer = render.RENDERERS[kind]
    return [renderer(obj, ctx.is_admin) for obj in render.prefetch_for(queryset, kind).order_by("created_at", "id")]


def network_rows(ctx):
    result = []
    for net in networks.list_networks(ctx).prefetch_related("subnets").order_by("created_at", "id"):
        row = render.network(net, ctx.is_admin)
        row["subnet_text"] = ", ".join(f"{s.name or s.id[:8]} {s.cidr}" for s in net.subnets.all())
        row["owned"] = net.project_id == ctx.project_id
        result.append(row)
    return result


def network_names(ctx):
    return dict(networks.list_networks(ctx).values_list("id", "name"))


def external_network_choices(ctx):
    return [(n.id, n.name or n.id) for n in networks.list_networks(ctx).filter(external=True).order_by("name")]


def subnet_choices(ctx, own_only=True):
    subnets = networks.list_subnets(ctx).select_related("network").filter(network__external=False)
    if own_only and not ctx.is_admin:
        subnets = subnets.filter(project_id=ctx.project_id)
    return [(s.id, f"{s.network.name or s.network_id[:8]}: {s.name or s.id[:8]} ({s.cidr})")
            for s in subnets.order_by("network__name", "cidr")]


def associable_port_choices(ctx):
    """Ports that may take a floating IP: the caller's, not service ports, with a fixed IPv4 address."""
    result = []
    for port in ports.list_ports(ctx).filter(project_id=ctx.project_id).exclude(
            device_owner__startswith="network:").prefetch_related("allocations__subnet").order_by("name", "id"):
        for allocation in port.allocations.all():
            if allocation.subnet.ip_version == 4:
                label = f"{port.name or port.id[:8]} ({allocation.ip_address})"
                result.append((f"{port.id}|{allocation.ip_address}", label))
    return result


def instance_url(instance_id):
    """The compute panel's page for an instance, when that panel exists."""
    for name in ("dashboard:project:instances:detail",):
        try:
            return reverse(name, args=[instance_id])
        except NoReverseMatch:
            continue
    return None


def router_rows(ctx):
    names = network_names(ctx)
    result = []
    for row in rows("router", routers.list_routers(ctx), ctx):
        gateway = row["external_gateway_info"] or {}
        row["external_network"] = names.get(gateway.get("network_id"), gateway.get("network_id") or "")
        row["gateway_ips"] = ", ".join(ip["ip_address"] for ip in gateway.get("external_fixed_ips", []))
        result.append(row)
    return result


def pick_table(request, candidates):
    """Of several tables on one page, the one whose action was POSTed (action names differ)."""
    scope, _, rest = request.POST.get("action", "").partition(":")
    name = rest.partition(":")[0] if scope == "row" else rest
    for table in candidates:
        if table.find_action(scope, name) is not None:
            return table
    return candidates[0]
