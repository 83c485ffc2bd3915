"""What the network topology page draws: the project's networks, routers and instances, and their links."""

from collections import OrderedDict

from django.db.models import Q

from network.models import Network, Port, Router
from network.services.common import visible_network_q


def project_topology(ctx):
    project_id = ctx.project_id
    ports = list(Port.objects.filter(project_id=project_id).filter(
        Q(device_owner__startswith="compute:") | Q(device_owner="network:router_interface")).prefetch_related(
        "allocations").order_by("created_at", "id"))
    routers = list(Router.objects.filter(project_id=project_id).prefetch_related(
        "interfaces__port__allocations").order_by("name", "id"))
    wanted = {p.network_id for p in ports} | {r.gateway_network_id for r in routers if r.gateway_network_id}
    networks = list(Network.objects.filter(visible_network_q(ctx)).filter(
        Q(project_id=project_id) | Q(id__in=wanted) | Q(external=True)).prefetch_related("subnets").order_by(
        "-external", "name", "id"))
    shown = {n.id for n in networks}

    def ips(port):
        return ", ".join(a.ip_address for a in port.allocations.all())

    result_routers = []
    for router in routers:
        links = [{"network_id": i.port.network_id, "ip": ips(i.port), "gateway": i.kind == "gateway"}
                 for i in router.interfaces.all() if i.port.network_id in shown]
        result_routers.append({"id": router.id, "name": router.name or router.id[:8], "links": links})
    instances = OrderedDict()
    for port in ports:
        if not port.device_owner.startswith("compute:") or port.network_id not in shown:
            continue
        entry = instances.setdefault(port.device_id, {"id": port.device_id, "links": []})
        entry["links"].append({"network_id": port.network_id, "ip": ips(port), "gateway": False})
    return {
        "networks": [{"id": n.id, "name": n.name or n.id[:8], "external": n.external, "shared": n.shared,
                      "cidrs": [s.cidr for s in n.subnets.all()]} for n in networks],
        "routers": result_routers,
        "instances": list(instances.values()),
    }
