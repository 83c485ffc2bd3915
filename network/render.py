"""Neutron's JSON shape of each resource, from rows that were fetched with `prefetch_for(kind)`.

Used by the API, the driver hooks and the compute-facing service calls, so all three agree.
"""

from network.drivers import get_driver

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _time(value):
    return value.strftime(TIME_FORMAT) if value else None


def _standard(obj):
    return {
        "id": obj.id,
        "project_id": obj.project_id,
        "tenant_id": obj.project_id,
        "description": obj.description,
        "tags": list(obj.tags or []),
        "revision_number": obj.revision_number,
        "created_at": _time(obj.created_at),
        "updated_at": _time(obj.updated_at),
    }


PREFETCH = {
    "network": {"prefetch": ("subnets",), "select": ()},
    "subnet": {"prefetch": (), "select": ()},
    "port": {"prefetch": ("allocations", "security_groups"), "select": ()},
    "router": {"prefetch": ("interfaces__port__allocations",), "select": ()},
    "floatingip": {"prefetch": (), "select": ("port",)},
    "security_group": {"prefetch": ("rules",), "select": ()},
    "security_group_rule": {"prefetch": (), "select": ("security_group",)},
    "rbac_policy": {"prefetch": (), "select": ()},
}


def prefetch_for(queryset, kind):
    spec = PREFETCH[kind]
    if spec["select"]:
        queryset = queryset.select_related(*spec["select"])
    if spec["prefetch"]:
        queryset = queryset.prefetch_related(*spec["prefetch"])
    return queryset


def network(obj, is_admin=False):
    body = _standard(obj)
    body.update({
        "name": obj.name,
        "admin_state_up": obj.admin_state_up,
        "status": obj.status,
        "subnets": sorted(s.id for s in obj.subnets.all()),
        "shared": obj.shared,
        "router:external": obj.external,
        "mtu": obj.mtu,
        "port_security_enabled": obj.port_security_enabled,
        "availability_zone_hints": [],
        "availability_zones": ["nova"],
        "ipv4_address_scope": None,
        "ipv6_address_scope": None,
        "is_default": obj.is_default,
        "l2_adjacency": True,
        "dns_domain": "",
        "qos_policy_id": None,
    })
    if is_admin:
        body.update({"provider:network_type": obj.network_type,
                     "provider:physical_network": obj.physical_network,
                     "provider:segmentation_id": obj.segmentation_id})
    return body


def subnet(obj, is_admin=False):
    body = _standard(obj)
    body.update({
        "name": obj.name,
        "network_id": obj.network_id,
        "ip_version": obj.ip_version,
        "cidr": obj.cidr,
        "gateway_ip": obj.gateway_ip,
        "allocation_pools": [dict(p) for p in obj.allocation_pools],
        "enable_dhcp": obj.enable_dhcp,
        "dns_nameservers": list(obj.dns_nameservers),
        "host_routes": [dict(r) for r in obj.host_routes],
        "ipv6_ra_mode": obj.ipv6_ra_mode,
        "ipv6_address_mode": obj.ipv6_address_mode,
        "subnetpool_id": None,
        "service_types": [],
        "segment_id": None,
        "dns_publish_fixed_ip": False,
    })
    return body


def fixed_ips(port_obj):
    return [{"subnet_id": a.subnet_id, "ip_address": a.ip_address}
            for a in sorted(port_obj.allocations.all(), key=lambda a: (a.subnet_id, a.ip_address))]


def port(obj, is_admin=False):
    body = _standard(obj)
    bound = bool(obj.binding_host_id)
    body.update({
        "name": obj.name,
        "network_id": obj.network_id,
        "mac_address": obj.mac_address,
        "admin_state_up": obj.admin_state_up,
        "status": obj.status,
        "fixed_ips": fixed_ips(obj),
        "device_id": obj.device_id,
        "device_owner": obj.device_owner,
        "security_groups": sorted(g.id for g in obj.security_groups.all()),
        "allowed_address_pairs": [dict(p) for p in obj.allowed_address_pairs],
        "port_security_enabled": obj.port_security_enabled,
        "binding:host_id": obj.binding_host_id,
        "binding:vif_type": get_driver().vif_type if bound else "unbound",
        "binding:vnic_type": obj.binding_vnic_type,
        "binding:profile": dict(obj.binding_profile or {}),
        "binding:vif_details": {"bridge_name": get_driver().bridge_name(obj.network_id)} if bound else {},
        "extra_dhcp_opts": [],
        "dns_name": "",
        "dns_assignment": [],
        "ip_allocation": "immediate",
        "propagate_uplink_status": False,
        "qos_policy_id": None,
        "qos_network_policy_id": None,
        "resource_request": None,
    })
    return body


def router(obj, is_admin=False):
    body = _standard(obj)
    gateway = None
    if obj.gateway_network_id:
        ips = []
        for interface in obj.interfaces.all():
            if interface.kind == "gateway":
                ips = fixed_ips(interface.port)
        gateway = {"network_id": obj.gateway_network_id, "enable_snat": obj.enable_snat,
                   "external_fixed_ips": ips}
    body.update({
        "name": obj.name,
        "admin_state_up": obj.admin_state_up,
        "status": obj.status,
        "external_gateway_info": gateway,
        "routes": [dict(r) for r in obj.routes],
        "availability_zone_hints": [],
        "availability_zones": ["nova"],
        "flavor_id": None,
    })
    if is_admin:
        body.update({"distributed": False, "ha": False})
    return body


def floatingip(obj, is_admin=False):
    body = _standard(obj)
    body.update({
        "floating_ip_address": obj.floating_ip_address,
        "floating_network_id": obj.floating_network_id,
        "fixed_ip_address": obj.fixed_ip_address,
        "port_id": obj.port_id,
        "router_id": obj.router_id,
        "status": obj.status,
        "dns_domain": "",
        "dns_name": "",
        "qos_policy_id": None,
        "port_forwardings": [],
    })
    return body


def security_group_rule(obj, is_admin=False):
    body = _standard(obj)
    body.update({
        "security_group_id": obj.security_group_id,
        "direction": obj.direction,
        "ethertype": obj.ethertype,
        "protocol": obj.protocol,
        "port_range_min": obj.port_range_min,
        "port_range_max": obj.port_range_max,
        "remote_ip_prefix": obj.remote_ip_prefix,
        "normalized_cidr": obj.remote_ip_prefix,
        "remote_group_id": obj.remote_group_id,
        "remote_address_group_id": None,
        "belongs_to_default_sg": obj.security_group.name == "default",
    })
    return body


def security_group(obj, is_admin=False):
    body = _standard(obj)
    rules = sorted(obj.rules.all(), key=lambda r: (r.created_at, r.id))
    for rule in rules:
        rule.security_group = obj  # already in hand: no query per rule
    body.update({
        "name": obj.name,
        "stateful": obj.stateful,
        "shared": False,
        "security_group_rules": [security_group_rule(r) for r in rules],
    })
    return body


def rbac_policy(obj, is_admin=False):
    return {
        "id": obj.id,
        "project_id": obj.project_id,
        "tenant_id": obj.project_id,
        "object_type": obj.object_type,
        "object_id": obj.network_id,
        "action": obj.action,
        "target_tenant": obj.target_tenant,
        "target_project": obj.target_tenant,
    }


RENDERERS = {
    "network": network, "subnet": subnet, "port": port, "router": router, "floatingip": floatingip,
    "security_group": security_group, "security_group_rule": security_group_rule, "rbac_policy": rbac_policy,
}
