"""List endpoints answer in a constant number of queries, however many rows they return."""

import pytest

from network.models import Network
from network.services import networks, ports, routers, security_groups

BASE = "/network/v2.0"


@pytest.fixture
def many(net_cloud, demo_ctx):
    public = Network.objects.get(name="public")
    for i in range(6):
        net = networks.create_network(demo_ctx, {"name": f"qc-{i}"})
        subnet = networks.create_subnet(demo_ctx, {"network_id": net.id, "cidr": f"10.{60 + i}.0.0/24"})
        for _ in range(2):
            ports.create_port(demo_ctx, {"network_id": net.id})
        router = routers.create_router(demo_ctx, {"name": f"qc-r{i}", "external_gateway_info": {
            "network_id": public.id}})
        routers.add_interface(demo_ctx, router.id, {"subnet_id": subnet.id})
        routers.create_floating_ip(demo_ctx, {"floating_network_id": public.id})
        group = security_groups.create_security_group(demo_ctx, {"name": f"qc-sg{i}"})
        security_groups.create_rule(demo_ctx, {"security_group_id": group.id, "direction": "ingress",
                                               "protocol": "tcp", "port_range_min": 22})


@pytest.mark.parametrize("collection,minimum", [
    ("networks", 7), ("subnets", 7), ("ports", 12), ("routers", 7), ("floatingips", 6),
    ("security-groups", 7), ("security-group-rules", 20), ("rbac-policies", 0),
])
def test_list_query_count(api, many, demo_token, admin_token, collection, minimum, django_assert_max_num_queries):
    for token in (demo_token, admin_token):
        api.get(f"{BASE}/{collection}", token=token)  # warm the token cache
        with django_assert_max_num_queries(10):
            response = api.get(f"{BASE}/{collection}", token=token)
        assert response.status_code == 200
        assert len(response.json()[collection.replace("-", "_")]) >= minimum
