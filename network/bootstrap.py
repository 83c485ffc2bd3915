"""First-run networks: the external `public` (admin's, external and shared for floating IPs) and the demo
project's `private` network, subnet and `router1`. Addresses exist only in the database (the logical
driver configures no interface). Idempotent: each step looks for what it would make first."""

from core.context import RequestContext
from identity.models import Project
from network.models import Network, Router, Subnet
from network.services import networks, routers

PUBLIC_CIDR = "172.24.4.0/24"
PRIVATE_CIDR = "10.0.0.0/26"


def _project_ctx(project, request_id=None):
    return RequestContext(project_id=project.id, project_name=project.name, roles=("admin", "member", "reader"),
                          is_internal=True, request_id=request_id or RequestContext.internal().request_id)


def run(ctx, result):
    admin = Project.objects.filter(name="admin", domain_id="default").first()
    demo = Project.objects.filter(name="demo", domain_id="default").first()
    if admin is None:
        return
    admin_ctx = _project_ctx(admin, ctx.request_id)
    public = Network.objects.filter(name="public", project_id=admin.id, external=True).first()
    if public is None:
        public = networks.create_network(admin_ctx, {
            "name": "public", "router:external": True, "shared": False, "description": "External network",
            "provider:network_type": "flat", "provider:physical_network": "public"})
    public_subnet = Subnet.objects.filter(network=public, cidr=PUBLIC_CIDR).first()
    if public_subnet is None:
        public_subnet = networks.create_subnet(admin_ctx, {
            "name": "public-subnet", "network_id": public.id, "ip_version": 4, "cidr": PUBLIC_CIDR,
            "enable_dhcp": False})
    if demo is None:
        return
    demo_ctx = _project_ctx(demo, ctx.request_id)
    private = Network.objects.filter(name="private", project_id=demo.id).first()
    if private is None:
        private = networks.create_network(demo_ctx, {"name": "private"})
    private_subnet = Subnet.objects.filter(network=private, cidr=PRIVATE_CIDR).first()
    if private_subnet is None:
        private_subnet = networks.create_subnet(demo_ctx, {
            "name": "private-subnet", "network_id": private.id, "ip_version": 4, "cidr": PRIVATE_CIDR,
            "dns_nameservers": []})
    router = Router.objects.filter(name="router1", project_id=demo.id).first()
    if router is None:
        router = routers.create_router(demo_ctx, {"name": "router1"})
    if router.gateway_network_id is None:
        routers.update_router(demo_ctx, router.id, {"external_gateway_info": {"network_id": public.id}})
    if not router.interfaces.filter(kind="interface", port__allocations__subnet=private_subnet).exists():
        routers.add_interface(demo_ctx, router.id, {"subnet_id": private_subnet.id})
