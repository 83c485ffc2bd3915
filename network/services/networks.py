"""Networks and subnets."""

import ipaddress

from django.db import transaction
from django.db.models import Max, Q

from core import quotas
from network import render
from network.drivers import get_driver
from network.models import IPAllocation, Network, Port, RBACPolicy, Subnet
from network.services import ipam
from network.services.common import (apply_common, bad_request, check_bool, check_list, conflict, enforce, forbidden,
                                     not_found, owner_project, reject_unknown, visible_network_q, usable_network_q)

NETWORK_CREATE = {"name", "description", "tags", "admin_state_up", "shared", "router:external", "mtu",
                  "port_security_enabled", "project_id", "tenant_id", "provider:network_type",
                  "provider:physical_network", "provider:segmentation_id", "is_default",
                  "availability_zone_hints", "dns_domain", "qos_policy_id"}
NETWORK_UPDATE = NETWORK_CREATE - {"project_id", "tenant_id", "provider:network_type",
                                   "provider:physical_network", "provider:segmentation_id"}
SUBNET_CREATE = {"name", "description", "tags", "network_id", "ip_version", "cidr", "gateway_ip",
                 "allocation_pools", "enable_dhcp", "dns_nameservers", "host_routes", "ipv6_ra_mode",
                 "ipv6_address_mode", "project_id", "tenant_id", "subnetpool_id", "prefixlen",
                 "service_types", "segment_id", "dns_publish_fixed_ip", "use_default_subnetpool"}
SUBNET_UPDATE = {"name", "description", "tags", "gateway_ip", "allocation_pools", "enable_dhcp",
                 "dns_nameservers", "host_routes", "service_types", "segment_id", "dns_publish_fixed_ip"}
IPV6_MODES = ("slaac", "dhcpv6-stateful", "dhcpv6-stateless")
# Ports Neutron removes with their network or subnet instead of refusing (made by the service itself).
AUTO_DELETED_OWNERS = ("network:dhcp",)


def _network_not_found(network_id):
    return not_found("NetworkNotFound", f"Network {network_id} could not be found.")


def list_networks(ctx):
    return Network.objects.filter(visible_network_q(ctx))


def get_network(ctx, network_id):
    network = Network.objects.filter(visible_network_q(ctx), id=str(network_id)).first()
    if network is None:
        raise _network_not_found(network_id)
    return network


def get_usable_network(ctx, network_id):
    network = Network.objects.filter(usable_network_q(ctx), id=str(network_id)).first()
    if network is None:
        raise _network_not_found(network_id)
    return network


def _next_segmentation_id():
    highest = Network.objects.filter(network_type="vxlan").aggregate(m=Max("segmentation_id"))["m"]
    return (highest or 1000) + 1


def _set_wildcard_policy(network, action, enabled, project_id):
    if enabled:
        RBACPolicy.objects.get_or_create(network=network, action=action, target_tenant="*",
                                         defaults={"project_id": project_id})
    else:
        RBACPolicy.objects.filter(network=network, action=action, target_tenant="*").delete()


def create_network(ctx, body):
    reject_unknown(body, NETWORK_CREATE, "network")
    project_id = owner_project(ctx, body)
    enforce(ctx, "create_network", {"project_id": project_id})
    network = Network(project_id=project_id)
    apply_common(network, body)
    if "admin_state_up" in body:
        network.admin_state_up = check_bool(body, "admin_state_up")
    if "port_security_enabled" in body:
        network.port_security_enabled = check_bool(body, "port_security_enabled")
    if body.get("mtu") is not None:
        network.mtu = _mtu(body["mtu"])
    for key in ("shared", "router:external", "is_default"):
        if key in body:
            value = check_bool(body, key)
            if value:
                enforce(ctx, f"create_network:{key}", {"project_id": project_id})
            setattr(network, {"router:external": "external"}.get(key, key), value)
    provider = {k: body[k] for k in ("provider:network_type", "provider:physical_network",
                                     "provider:segmentation_id") if body.get(k) is not None}
    if provider:
        enforce(ctx, "create_network:provider", {"project_id": project_id})
        network.network_type = str(provider.get("provider:network_type", "flat"))
        network.physical_network = provider.get("provider:physical_network")
        network.segmentation_id = provider.get("provider:segmentation_id")
        if network.segmentation_id is not None and (isinstance(network.segmentation_id, bool) or not isinstance(
                network.segmentation_id, int)):
            raise bad_request("Invalid input for provider:segmentation_id.")
    with transaction.atomic(), quotas.reserve(project_id, network=1):
        if not provider:
            network.segmentation_id = _next_segmentation_id()
        network.save()
        _set_wildcard_policy(network, "access_as_shared", network.shared, project_id)
        _set_wildcard_policy(network, "access_as_external", network.external, project_id)
        rendered = render.network(network, ctx.is_admin)
        transaction.on_commit(lambda: get_driver().network_created(rendered))
    return network


def _mtu(value):
    if isinstance(value, bool) or not isinstance(value, int) or not 68 <= value <= 9216:
        raise bad_request(f"Invalid input for mtu. Reason: '{value}' is not in range 68 through 9216.")
    return value


def _foreign_ports(network):
    return Port.objects.filter(network=network).exclude(project_id=network.project_id).exclude(
        device_owner__startswith="network:")


def update_network(ctx, network_id, body):
    reject_unknown(body, NETWORK_UPDATE, "network")
    with transaction.atomic():
        network = get_network(ctx, network_id)
        network = Network.objects.select_for_update().get(pk=network.pk)
        enforce(ctx, "update_network", {"project_id": network.project_id})
        apply_common(network, body)
        if "admin_state_up" in body:
            network.admin_state_up = check_bool(body, "admin_state_up")
        if "port_security_enabled" in body:
            network.port_security_enabled = check_bool(body, "port_security_enabled")
        if body.get("mtu") is not None:
            network.mtu = _mtu(body["mtu"])
        if "shared" in body:
            shared = check_bool(body, "shared")
            if shared != network.shared:
                enforce(ctx, "update_network:shared", {"project_id": network.project_id})
                if not shared and _foreign_ports(network).exists() and not RBACPolicy.objects.filter(
                        network=network, action="access_as_shared").exclude(target_tenant="*").exists():
                    raise conflict("InUse", f"Unable to reconfigure sharing settings for network {network.id}. "
                                            "Multiple tenants are using it.")
                network.shared = shared
                _set_wildcard_policy(network, "access_as_shared", shared, network.project_id)
        if "router:external" in body:
            external = check_bool(body, "router:external")
            if external != network.external:
                enforce(ctx, "update_network:router:external", {"project_id": network.project_id})
                if not external and network.gateway_routers.exists():
                    raise conflict("InUse", f"Network {network.id} is used as a router gateway.")
                network.external = external
                _set_wildcard_policy(network, "access_as_external", external, network.project_id)
        if "is_default" in body:
            enforce(ctx, "update_network:is_default", {"project_id": network.project_id})
            network.is_default = check_bool(body, "is_default")
        network.bump()
        network.save()
        rendered = render.network(network, ctx.is_admin)
        transaction.on_commit(lambda: get_driver().network_updated(rendered))
    return network


def delete_network(ctx, network_id):
    with transaction.atomic():
        network = get_network(ctx, network_id)
        network = Network.objects.select_for_update().get(pk=network.pk)
        enforce(ctx, "delete_network", {"project_id": network.project_id})
        in_use = Port.objects.filter(network=network).exclude(device_owner__in=AUTO_DELETED_OWNERS)
        if in_use.exists():
            raise conflict("NetworkInUse", f"Unable to complete operation on network {network.id}. "
                                           "There are one or more ports still in use on the network.")
        Port.objects.filter(network=network).delete()
        network.subnets.all().delete()
        rendered = {"id": network.id}
        network.delete()
        transaction.on_commit(lambda: get_driver().network_deleted(rendered))


# -- subnets ---------------------------------------------------------------------------------

def list_subnets(ctx):
    if ctx.is_admin:
        return Subnet.objects.all()
    return Subnet.objects.filter(Q(project_id=ctx.project_id) | Q(network__in=list_networks(ctx)))


def get_subnet(ctx, subnet_id):
    subnet = list_subnets(ctx).filter(id=str(subnet_id)).first()
    if subnet is None:
        raise not_found("SubnetNotFound", f"Subnet {subnet_id} could not be found.")
    return subnet


def _ip(value, field, version=None):
    try:
        address = ipaddress.ip_address(value)
    except (ValueError, TypeError):
        raise bad_request(f"Invalid input for {field}. Reason: '{value}' is not a valid IP address.") from None
    if version and address.version != version:
        raise bad_request(f"Invalid input for {field}. Reason: '{value}' is not an IPv{version} address.")
    return address


def _dns(body, version):
    servers = check_list(body, "dns_nameservers")
    for server in servers:
        _ip(server, "dns_nameservers")
    if len(set(servers)) != len(servers):
        raise bad_request("Invalid input for dns_nameservers. Reason: duplicate nameserver.")
    return servers


def _host_routes(body):
    routes = check_list(body, "host_routes")
    result = []
    for route in routes:
        if not isinstance(route, dict) or set(route) != {"destination", "nexthop"}:
            raise bad_request("Invalid input for host_routes. Reason: each route needs destination and nexthop.")
        try:
            destination = str(ipaddress.ip_network(route["destination"], strict=False))
        except (ValueError, TypeError):
            raise bad_request(f"Invalid input for host_routes: bad destination {route['destination']!r}.") from None
        result.append({"destination": destination, "nexthop": str(_ip(route["nexthop"], "host_routes"))})
    return result


def _gateway(body, net):
    value = body.get("gateway_ip", "auto")
    if value is None:
        return None
    if value == "auto":
        return str(net.network_address + 1)
    gateway = _ip(value, "gateway_ip", net.version)
    if gateway not in net or gateway == net.network_address or (
            net.version == 4 and gateway == net.broadcast_address and net.num_addresses > 2):
        raise bad_request(f"Gateway IP {value} conflicts with the subnet {net}.", "InvalidInput")
    return str(gateway)


def create_subnet(ctx, body):
    reject_unknown(body, SUBNET_CREATE, "subnet")
    if body.get("subnetpool_id") or body.get("use_default_subnetpool"):
        raise bad_request("Subnet pools are not supported by this cloud; give a cidr.")
    if not body.get("network_id"):
        raise bad_request("Failed to parse request. Required attribute 'network_id' not specified")
    if body.get("cidr") in (None, ""):
        raise bad_request("Bad subnet request: a subnetpool must be specified in the absence of a cidr.")
    try:
        net = ipaddress.ip_network(str(body["cidr"]))
    except ValueError:
        try:
            suggested = ipaddress.ip_network(str(body["cidr"]), strict=False)
        except ValueError:
            raise bad_request(f"Invalid input for cidr. Reason: '{body['cidr']}' is not a valid IP subnet.") \
                from None
        raise bad_request(f"Invalid input for cidr. Reason: '{body['cidr']}' isn't a recommended CIDR, it "
                          f"should be '{suggested}'.") from None
    version = body.get("ip_version", net.version)
    if version not in (4, 6) or isinstance(version, bool):
        raise bad_request(f"Invalid input for ip_version. Reason: '{version}' is not in [4, 6].")
    if version != net.version:
        raise bad_request(f"Cannot use IPv{net.version} cidr {net} with ip_version {version}.")
    if net.prefixlen >= (32 if version == 4 else 128):
        raise bad_request(f"Invalid input for cidr: {net} is too small.")
    project_id = owner_project(ctx, body)
    network = get_network(ctx, body["network_id"])
    if network.project_id != project_id and not ctx.is_admin:
        raise forbidden("Only the network's owner can add subnets to it.")
    enforce(ctx, "create_subnet", {"project_id": project_id})
    subnet = Subnet(project_id=project_id, network=network, ip_version=version, cidr=str(net))
    apply_common(subnet, body)
    subnet.gateway_ip = _gateway(body, net)
    if "enable_dhcp" in body:
        subnet.enable_dhcp = check_bool(body, "enable_dhcp")
    subnet.dns_nameservers = _dns(body, version)
    subnet.host_routes = _host_routes(body)
    for key in ("ipv6_ra_mode", "ipv6_address_mode"):
        value = body.get(key)
        if value is not None:
            if version != 6 or value not in IPV6_MODES:
                raise bad_request(f"Invalid input for {key}: '{value}'.")
            setattr(subnet, key, value)
    pools = check_list(body, "allocation_pools") if body.get("allocation_pools") else None
    subnet.allocation_pools = ipam.validate_pools(str(net), pools, subnet.gateway_ip) if pools is not None \
        else ipam.default_pools(str(net), subnet.gateway_ip)
    with transaction.atomic(), quotas.reserve(project_id, subnet=1):
        Network.objects.select_for_update().get(pk=network.pk)
        for other in Subnet.objects.filter(network=network, ip_version=version):
            if ipaddress.ip_network(other.cidr).overlaps(net):
                raise bad_request(f"Invalid input for operation: Requested subnet with cidr: {net} for network: "
                                  f"{network.id} overlaps with another subnet.")
        subnet.save()
        Network.objects.filter(pk=network.pk).update(revision_number=network.revision_number + 1)
        rendered = render.subnet(subnet)
        transaction.on_commit(lambda: get_driver().subnet_created(rendered))
    return subnet


def update_subnet(ctx, subnet_id, body):
    reject_unknown(body, SUBNET_UPDATE, "subnet")
    with transaction.atomic():
        subnet = get_subnet(ctx, subnet_id)
        subnet = Subnet.objects.select_for_update().get(pk=subnet.pk)
        enforce(ctx, "update_subnet", {"project_id": subnet.project_id})
        net = ipaddress.ip_network(subnet.cidr)
        apply_common(subnet, body)
        if "enable_dhcp" in body:
            subnet.enable_dhcp = check_bool(body, "enable_dhcp")
        if "dns_nameservers" in body:
            subnet.dns_nameservers = _dns(body, subnet.ip_version)
        if "host_routes" in body:
            subnet.host_routes = _host_routes(body)
        if "gateway_ip" in body:
            subnet.gateway_ip = _gateway(body, net)
        if body.get("allocation_pools") is not None:
            subnet.allocation_pools = ipam.validate_pools(subnet.cidr, check_list(body, "allocation_pools"),
                                                          subnet.gateway_ip)
        elif "gateway_ip" in body:
            ipam.validate_pools(subnet.cidr, subnet.allocation_pools, subnet.gateway_ip)
        subnet.bump()
        subnet.save()
    return subnet


def delete_subnet(ctx, subnet_id):
    with transaction.atomic():
        subnet = get_subnet(ctx, subnet_id)
        subnet = Subnet.objects.select_for_update().get(pk=subnet.pk)
        enforce(ctx, "delete_subnet", {"project_id": subnet.project_id})
        holders = IPAllocation.objects.filter(subnet=subnet).exclude(port__device_owner__in=AUTO_DELETED_OWNERS)
        if holders.filter(port__device_owner="network:router_interface").exists():
            raise conflict("SubnetInUse", f"Unable to complete operation on subnet {subnet.id}: One or more "
                                          "ports have an IP allocation from this subnet (a router interface).")
        if holders.exists():
            raise conflict("SubnetInUse", f"Unable to complete operation on subnet {subnet.id}: One or more "
                                          "ports have an IP allocation from this subnet.")
        IPAllocation.objects.filter(subnet=subnet).delete()
        rendered = {"id": subnet.id, "network_id": subnet.network_id}
        subnet.delete()
        transaction.on_commit(lambda: get_driver().subnet_deleted(rendered))


def create_network_with_subnet(ctx, network_body, subnet_body=None):
    """A network and (optionally) its first subnet, both or neither (the dashboard's create form)."""
    with transaction.atomic():
        network = create_network(ctx, network_body)
        if subnet_body:
            create_subnet(ctx, {**subnet_body, "network_id": network.id})
    return network
