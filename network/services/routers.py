"""Routers (gateway, interfaces, static routes) and floating IPs."""

import ipaddress

from django.db import IntegrityError, transaction

from core import quotas
from network import render
from network.drivers import get_driver
from network.models import FloatingIP, IPAllocation, Network, Port, Router, RouterInterface, Subnet
from network.services import ipam
from network.services.common import (apply_common, bad_request, check_bool, check_list, conflict, enforce,
                                     is_external_for,
                                     not_found, owner_project, own_q, reject_unknown, visible_network_q)
from network.services.networks import get_subnet
from network.services.ports import get_port, _delete_port_row

ROUTER_CREATE = {"name", "description", "tags", "admin_state_up", "external_gateway_info", "project_id",
                 "tenant_id", "distributed", "ha", "availability_zone_hints", "flavor_id", "enable_ndp_proxy"}
ROUTER_UPDATE = {"name", "description", "tags", "admin_state_up", "external_gateway_info", "routes",
                 "distributed", "ha", "enable_ndp_proxy"}
FIP_CREATE = {"floating_network_id", "floating_ip_address", "subnet_id", "port_id", "fixed_ip_address",
              "description", "tags", "project_id", "tenant_id", "dns_name", "dns_domain", "qos_policy_id"}
FIP_UPDATE = {"port_id", "fixed_ip_address", "description", "tags", "qos_policy_id"}


def list_routers(ctx):
    return Router.objects.filter(own_q(ctx))


def get_router(ctx, router_id, lock=False):
    router = list_routers(ctx).filter(id=str(router_id)).first()
    if router is None:
        raise not_found("RouterNotFound", f"Router {router_id} could not be found")
    if lock:
        router = Router.objects.select_for_update().get(pk=router.pk)
    return router


def _external_network(ctx, network_id):
    network = Network.objects.filter(visible_network_q(ctx), id=str(network_id)).first()
    if network is None:
        raise not_found("NetworkNotFound", f"Network {network_id} could not be found.")
    if not is_external_for(ctx, network):
        raise bad_request(f"Bad router request: Network {network.id} is not a valid external network.")
    return network


def _service_port(network, owner, device_id, project_id=""):
    return Port.objects.create(network=network, project_id=project_id, mac_address=ipam.new_mac(),
                               device_owner=owner, device_id=device_id, status="ACTIVE",
                               port_security_enabled=False)


def _set_gateway(ctx, router, info):
    """Apply external_gateway_info ({} or None clears it)."""
    if info is not None and not isinstance(info, dict):
        raise bad_request("Invalid input for external_gateway_info. Reason: must be an object.")
    current = router.interfaces.filter(kind="gateway").select_related("port").first()
    if not info or not info.get("network_id"):
        if router.gateway_network_id is None:
            return
        if router.floating_ips.exists():
            raise conflict("RouterExternalGatewayInUseByFloatingIp",
                           f"Gateway cannot be updated for router {router.id}, since a gateway to external network "
                           f"{router.gateway_network_id} is required by one or more floating IPs.")
        if current:
            _delete_port_row(current.port)
        router.gateway_network = None
        return
    unknown = set(info) - {"network_id", "enable_snat", "external_fixed_ips", "qos_policy_id"}
    if unknown:
        raise bad_request(f"Invalid input for external_gateway_info: unknown keys {sorted(unknown)}.")
    network = _external_network(ctx, info["network_id"])
    if "enable_snat" in info:
        router.enable_snat = check_bool(info, "enable_snat")
    requested = check_list(info, "external_fixed_ips")
    if current and router.gateway_network_id == network.id and not requested:
        return
    if current:
        if router.gateway_network_id != network.id and router.floating_ips.exists():
            raise conflict("RouterExternalGatewayInUseByFloatingIp",
                           f"Gateway cannot be updated for router {router.id}, since a gateway to external network "
                           f"{router.gateway_network_id} is required by one or more floating IPs.")
        _delete_port_row(current.port)
    router.gateway_network = network
    port = _service_port(network, "network:router_gateway", router.id)
    subnets = {s.id: s for s in network.subnets.all()}
    if requested:
        for item in requested:
            if not isinstance(item, dict):
                raise bad_request("Invalid input for external_fixed_ips.")
            subnet = subnets.get(str(item.get("subnet_id"))) if item.get("subnet_id") else None
            if subnet is None and item.get("ip_address"):
                subnet = next((s for s in subnets.values()
                               if ipaddress.ip_address(item["ip_address"]) in ipaddress.ip_network(s.cidr)), None)
            if subnet is None:
                raise bad_request(f"Invalid input for external_fixed_ips: {item!r} matches no subnet of "
                                  f"network {network.id}.")
            ipam.allocate(port, subnet, item.get("ip_address"))
    else:
        v4 = [s for s in subnets.values() if s.ip_version == 4] or list(subnets.values())
        if not v4:
            raise bad_request(f"Network {network.id} has no subnet to take a gateway address from.")
        ipam.allocate(port, sorted(v4, key=lambda s: s.created_at)[0])
    RouterInterface.objects.create(router=router, port=port, kind="gateway")


def _notify(router):
    rendered = render.router(render.prefetch_for(Router.objects.filter(pk=router.pk), "router").get())
    transaction.on_commit(lambda: get_driver().router_updated(rendered))


def create_router(ctx, body):
    reject_unknown(body, ROUTER_CREATE, "router")
    project_id = owner_project(ctx, body)
    enforce(ctx, "create_router", {"project_id": project_id})
    router = Router(project_id=project_id)
    apply_common(router, body)
    if "admin_state_up" in body:
        router.admin_state_up = check_bool(body, "admin_state_up")
    with transaction.atomic(), quotas.reserve(project_id, router=1):
        router.save()
        if body.get("external_gateway_info"):
            _set_gateway(ctx, router, body["external_gateway_info"])
            router.save()
        _notify(router)
    return router


def _routes(router, raw):
    routes = check_list({"routes": raw}, "routes")
    subnets = [ipaddress.ip_network(c) for c in Subnet.objects.filter(
        allocations__port__router_interface__router=router).values_list("cidr", flat=True)]
    result = []
    for route in routes:
        if not isinstance(route, dict) or set(route) != {"destination", "nexthop"}:
            raise bad_request("Invalid input for routes: each route needs destination and nexthop.")
        try:
            destination = ipaddress.ip_network(route["destination"], strict=False)
            nexthop = ipaddress.ip_address(route["nexthop"])
        except (ValueError, TypeError):
            raise bad_request(f"Invalid input for routes: {route!r}.") from None
        if not any(nexthop in net for net in subnets):
            raise bad_request(f"Invalid format for routes: {route}, the nexthop {nexthop} is not connected with "
                              "router", "InvalidRoutes")
        entry = {"destination": str(destination), "nexthop": str(nexthop)}
        if entry not in result:
            result.append(entry)
    return result


def update_router(ctx, router_id, body):
    reject_unknown(body, ROUTER_UPDATE, "router")
    with transaction.atomic():
        router = get_router(ctx, router_id, lock=True)
        enforce(ctx, "update_router", {"project_id": router.project_id})
        apply_common(router, body)
        if "admin_state_up" in body:
            router.admin_state_up = check_bool(body, "admin_state_up")
        if "external_gateway_info" in body:
            _set_gateway(ctx, router, body["external_gateway_info"])
        if "routes" in body:
            router.routes = _routes(router, body["routes"] or [])
        router.bump()
        router.save()
        _notify(router)
    return router


def delete_router(ctx, router_id):
    with transaction.atomic():
        router = get_router(ctx, router_id, lock=True)
        enforce(ctx, "delete_router", {"project_id": router.project_id})
        if router.interfaces.filter(kind="interface").exists():
            raise conflict("RouterInUse", f"Router {router.id} still has ports")
        if router.floating_ips.exists():
            raise conflict("RouterInUse", f"Router {router.id} still has floating IPs associated")
        for interface in router.interfaces.select_related("port"):
            _delete_port_row(interface.port)
        rendered = {"id": router.id}
        router.delete()
        transaction.on_commit(lambda: get_driver().router_deleted(rendered))


def _interface_info(router, port):
    subnet_ids = sorted({a.subnet_id for a in port.allocations.all()})
    return {"id": router.id, "tenant_id": router.project_id, "project_id": router.project_id,
            "port_id": port.id, "network_id": port.network_id, "subnet_id": subnet_ids[0] if subnet_ids else None,
            "subnet_ids": subnet_ids}


def _router_subnet_cidrs(router):
    return list(Subnet.objects.filter(allocations__port__router_interface__router=router,
                                      allocations__port__router_interface__kind="interface").distinct())


def add_interface(ctx, router_id, body):
    if not isinstance(body, dict):
        raise bad_request("Invalid input: body must be an object.")
    subnet_id, port_id = body.get("subnet_id"), body.get("port_id")
    if bool(subnet_id) == bool(port_id):
        raise bad_request("Bad router request: Cannot specify both subnet-id and port-id" if subnet_id else
                          "Bad router request: Either subnet_id or port_id must be specified")
    with transaction.atomic():
        router = get_router(ctx, router_id, lock=True)
        enforce(ctx, "add_router_interface", {"project_id": router.project_id})
        attached = _router_subnet_cidrs(router)
        if subnet_id:
            subnet = get_subnet(ctx, subnet_id)
            if subnet.network.external:
                raise bad_request(f"Bad router request: Router interface on external network {subnet.network_id} "
                                  "is not allowed.")
            if not subnet.gateway_ip:
                raise bad_request(f"Bad router request: Subnet {subnet.id} does not have a gateway IP.")
            new_subnets = [subnet]
            port = None
        else:
            port = get_port(ctx, port_id)
            port = Port.objects.select_for_update().get(pk=port.pk)
            if port.device_id or port.device_owner:
                raise conflict("PortInUse", f"Unable to complete operation on port {port.id} for network "
                                            f"{port.network_id}. Port already has an attached device {port.device_id}.")
            new_subnets = [a.subnet for a in port.allocations.select_related("subnet")]
            if not new_subnets:
                raise bad_request("Bad router request: Router port must have at least one fixed IP.")
        for subnet in new_subnets:
            for other in attached:
                if other.id == subnet.id:
                    raise bad_request(f"Bad router request: Router already has a port on subnet {subnet.id}.")
                if ipaddress.ip_network(other.cidr).overlaps(ipaddress.ip_network(subnet.cidr)):
                    raise bad_request(f"Bad router request: Cidr {subnet.cidr} of subnet {subnet.id} overlaps "
                                      f"with cidr {other.cidr} of subnet {other.id}.")
        if port is None:
            subnet = new_subnets[0]
            port = _service_port(subnet.network, "network:router_interface", router.id, router.project_id)
            ipam.allocate(port, subnet, subnet.gateway_ip)
        else:
            port.device_id, port.device_owner, port.status = router.id, "network:router_interface", "ACTIVE"
            port.bump()
            port.save()
            port.security_groups.clear()
        RouterInterface.objects.create(router=router, port=port, kind="interface")
        router.bump()
        router.save()
        _notify(router)
        return _interface_info(router, port)


def remove_interface(ctx, router_id, body):
    if not isinstance(body, dict):
        raise bad_request("Invalid input: body must be an object.")
    subnet_id, port_id = body.get("subnet_id"), body.get("port_id")
    if not subnet_id and not port_id:
        raise bad_request("Bad router request: Either subnet_id or port_id must be specified")
    with transaction.atomic():
        router = get_router(ctx, router_id, lock=True)
        enforce(ctx, "remove_router_interface", {"project_id": router.project_id})
        interfaces = RouterInterface.objects.filter(router=router, kind="interface").select_related("port")
        if port_id:
            interface = interfaces.filter(port_id=str(port_id)).first()
            if interface is None:
                raise not_found("RouterInterfaceNotFound", f"Router {router.id} does not have an interface with id "
                                                           f"{port_id}")
            if subnet_id and not interface.port.allocations.filter(subnet_id=str(subnet_id)).exists():
                raise conflict("SubnetMismatchForPort", f"Subnet {subnet_id} does not match with port {port_id}")
        else:
            interface = interfaces.filter(port__allocations__subnet_id=str(subnet_id)).first()
            if interface is None:
                raise not_found("RouterInterfaceNotFoundForSubnet", f"Router {router.id} has no interface on "
                                                                    f"subnet {subnet_id}")
        port = interface.port
        subnet_ids = list(port.allocations.values_list("subnet_id", flat=True))
        in_use = FloatingIP.objects.filter(router=router, port__allocations__subnet_id__in=subnet_ids)
        if in_use.exists():
            raise conflict("RouterInterfaceInUseByFloatingIP",
                           f"Router interface for subnet {subnet_ids[0]} on router {router.id} cannot be deleted, as "
                           "it is required by one or more floating IPs.")
        info = _interface_info(router, port)
        _delete_port_row(port)
        router.bump()
        router.save()
        _notify(router)
        return info


# -- floating IPs ------------------------------------------------------------------------------

def list_floating_ips(ctx):
    return FloatingIP.objects.filter(own_q(ctx))


def get_floating_ip(ctx, fip_id):
    fip = list_floating_ips(ctx).filter(id=str(fip_id)).first()
    if fip is None:
        raise not_found("FloatingIPNotFound", f"Floating IP {fip_id} could not be found")
    return fip


def _associate(ctx, fip, port_id, fixed_ip):
    """Point fip at (port, fixed ip) through a router that joins the port's subnet to fip's network."""
    if not port_id:
        fip.port, fip.fixed_ip_address, fip.router, fip.status = None, None, None, "DOWN"
        return
    port = get_port(ctx, port_id)
    if port.project_id != fip.project_id and not ctx.is_admin:
        raise not_found("PortNotFound", f"Port {port_id} could not be found.")
    if port.device_owner.startswith("network:"):
        raise bad_request(f"Bad floatingip request: Port {port.id} has owner {port.device_owner} and therefore "
                          "cannot be associated with a floating IP.")
    v4 = [a for a in port.allocations.select_related("subnet") if a.subnet.ip_version == 4]
    if fixed_ip:
        chosen = next((a for a in v4 if a.ip_address == str(fixed_ip)), None)
        if chosen is None:
            raise bad_request(f"Bad floatingip request: Port {port.id} does not have fixed ip {fixed_ip}.")
    else:
        if not v4:
            raise bad_request(f"Bad floatingip request: Port {port.id} does not have any IPv4 address.")
        if len(v4) > 1:
            raise bad_request(f"Bad floatingip request: Port {port.id} has multiple fixed IPv4 addresses. Must "
                              "provide a specific IPv4 address when assigning a floating IP.")
        chosen = v4[0]
    router = Router.objects.filter(
        gateway_network=fip.floating_network, interfaces__kind="interface",
        interfaces__port__allocations__subnet_id=chosen.subnet_id).first()
    if router is None:
        raise not_found("ExternalGatewayForFloatingIPNotFound",
                        f"External network {fip.floating_network_id} is not reachable from subnet "
                        f"{chosen.subnet_id}. Therefore, cannot associate Port {port.id} with a Floating IP.")
    taken = FloatingIP.objects.filter(port=port, fixed_ip_address=chosen.ip_address).exclude(pk=fip.pk).first()
    if taken is not None:
        raise conflict("FloatingIPPortAlreadyAssociated",
                       f"Cannot associate floating IP {fip.floating_ip_address} ({fip.id}) with port {port.id} "
                       f"using fixed IP {chosen.ip_address}, as that fixed IP already has a floating IP on external "
                       f"network {fip.floating_network_id}.")
    fip.port, fip.fixed_ip_address, fip.router, fip.status = port, chosen.ip_address, router, "ACTIVE"


def create_floating_ip(ctx, body):
    reject_unknown(body, FIP_CREATE, "floatingip")
    if not body.get("floating_network_id"):
        raise bad_request("Failed to parse request. Required attribute 'floating_network_id' not specified")
    project_id = owner_project(ctx, body)
    enforce(ctx, "create_floatingip", {"project_id": project_id})
    network = Network.objects.filter(visible_network_q(ctx), id=str(body["floating_network_id"])).first()
    if network is None:
        raise not_found("NetworkNotFound", f"Network {body['floating_network_id']} could not be found.")
    if not is_external_for(ctx, network):
        raise bad_request(f"Bad floatingip request: Network {network.id} is not a valid external network.")
    if body.get("floating_ip_address"):
        enforce(ctx, "create_floatingip:floating_ip_address", {"project_id": project_id})
    fip = FloatingIP(project_id=project_id, floating_network=network)
    apply_common(fip, body)
    with transaction.atomic(), quotas.reserve(project_id, floatingip=1):
        port = _service_port(network, "network:floatingip", fip.id)
        subnets = list(network.subnets.filter(ip_version=4).order_by("created_at"))
        if body.get("subnet_id"):
            subnets = [s for s in subnets if s.id == str(body["subnet_id"])]
            if not subnets:
                raise bad_request(f"Bad floatingip request: subnet {body['subnet_id']} is not an IPv4 subnet of "
                                  f"network {network.id}.")
        if body.get("floating_ip_address"):
            address = ipaddress.ip_address(str(body["floating_ip_address"])) if _valid_ip(
                body["floating_ip_address"]) else None
            subnet = next((s for s in subnets if address and address in ipaddress.ip_network(s.cidr)), None)
            if subnet is None:
                raise bad_request(f"Invalid input for floating_ip_address: '{body['floating_ip_address']}'.")
            fip.floating_ip_address = ipam.allocate(port, subnet, str(address))
        else:
            if not subnets:
                raise conflict("IpAddressGenerationFailure", f"No more IP addresses available on network "
                                                             f"{network.id}.")
            fip.floating_ip_address = _allocate_any(port, subnets)
        fip.floating_port = port
        _associate(ctx, fip, body.get("port_id"), body.get("fixed_ip_address"))
        _save_association(fip)
        rendered = render.floatingip(fip)
        transaction.on_commit(lambda: get_driver().floating_ip_updated(rendered))
    return fip


def _valid_ip(value):
    try:
        ipaddress.ip_address(str(value))
        return True
    except ValueError:
        return False


def _allocate_any(port, subnets):
    last = None
    for subnet in subnets:
        try:
            return ipam.allocate(port, subnet)
        except Exception as error:  # noqa: BLE001 - exhausted subnet: try the next one
            if getattr(error, "error_type", "") != "IpAddressGenerationFailure":
                raise
            last = error
    raise last


def _save_association(fip):
    try:
        with transaction.atomic():
            fip.save()
    except IntegrityError:
        raise conflict("FloatingIPPortAlreadyAssociated",
                       f"Cannot associate floating IP {fip.floating_ip_address} ({fip.id}) with port {fip.port_id} "
                       f"using fixed IP {fip.fixed_ip_address}, as that fixed IP already has a floating IP.") from None


def update_floating_ip(ctx, fip_id, body):
    reject_unknown(body, FIP_UPDATE, "floatingip")
    with transaction.atomic():
        fip = get_floating_ip(ctx, fip_id)
        fip = FloatingIP.objects.select_for_update().get(pk=fip.pk)
        enforce(ctx, "update_floatingip", {"project_id": fip.project_id})
        apply_common(fip, body)
        if "port_id" in body:
            _associate(ctx, fip, body["port_id"], body.get("fixed_ip_address"))
        elif body.get("fixed_ip_address") and fip.port_id:
            _associate(ctx, fip, fip.port_id, body["fixed_ip_address"])
        fip.bump()
        _save_association(fip)
        rendered = render.floatingip(fip)
        transaction.on_commit(lambda: get_driver().floating_ip_updated(rendered))
    return fip


def delete_floating_ip(ctx, fip_id):
    with transaction.atomic():
        fip = get_floating_ip(ctx, fip_id)
        enforce(ctx, "delete_floatingip", {"project_id": fip.project_id})
        port = fip.floating_port
        rendered = {"id": fip.id, "floating_ip_address": fip.floating_ip_address}
        fip.delete()
        IPAllocation.objects.filter(port=port).delete()
        port.delete()
        transaction.on_commit(lambda: get_driver().floating_ip_deleted(rendered))

