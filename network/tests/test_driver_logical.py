"""The logical driver: hooks are told of committed changes only, with rendered resources."""

import pytest

from network.drivers import get_driver
from network.drivers.base import NetworkDriver
from network.drivers.logical import LogicalDriver
from network.services import networks, ports


def test_default_driver_is_logical(settings):
    assert isinstance(get_driver(), LogicalDriver)
    assert get_driver().bridge_name("0123456789abcdef") == "brq0123456789a"


@pytest.mark.django_db(transaction=True)
def test_hooks_follow_commits(settings, tmp_path):
    from core.context import RequestContext

    ctx = RequestContext(project_id="p-driver", roles=("member", "reader"))
    driver = get_driver()
    driver.events.clear()
    net = networks.create_network(ctx, {"name": "hooked"})
    networks.create_subnet(ctx, {"network_id": net.id, "cidr": "10.3.0.0/24"})
    port = ports.create_port(ctx, {"network_id": net.id})
    with pytest.raises(Exception):
        ports.create_port(ctx, {"network_id": net.id, "fixed_ips": [{"ip_address": "10.3.0.1"}]})
    ports.delete_port(ctx, port.id)
    assert driver.events == [("network_created", net.id), ("port_created", port.id), ("port_deleted", port.id)]


def test_base_hooks_are_harmless_no_ops():
    driver = NetworkDriver()
    for hook in ("network_created", "network_updated", "network_deleted", "subnet_created", "subnet_deleted",
                 "port_created", "port_updated", "port_deleted", "router_updated", "router_deleted",
                 "floating_ip_updated", "floating_ip_deleted"):
        assert getattr(driver, hook)({"id": "x"}) is None
    assert driver.port_bound({"id": "x"}, "host") is None and driver.sync() is None
