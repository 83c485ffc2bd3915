"""IPAM: pools, SLAAC addresses, allocation and release, and no address handed out twice under races."""

import ipaddress
import threading

import pytest
from django.db import connection, connections

from core.exceptions import BadRequest, Conflict
from network.models import IPAllocation, Port
from network.services import ipam, networks, ports


def test_default_pools_leave_out_network_broadcast_and_gateway():
    assert ipam.default_pools("10.0.0.0/24", "10.0.0.1") == [{"start": "10.0.0.2", "end": "10.0.0.254"}]
    assert ipam.default_pools("10.0.0.0/24", "10.0.0.100") == [
        {"start": "10.0.0.1", "end": "10.0.0.99"}, {"start": "10.0.0.101", "end": "10.0.0.254"}]
    assert ipam.default_pools("10.0.0.0/24", None) == [{"start": "10.0.0.1", "end": "10.0.0.254"}]
    assert ipam.default_pools("fd00::/64", "fd00::1") == [{"start": "fd00::2", "end": "fd00::ffff:ffff:ffff:ffff"}]


@pytest.mark.parametrize("pools,error_type", [
    ([{"start": "10.0.1.2", "end": "10.0.1.9"}], "OutOfBoundsAllocationPool"),
    ([{"start": "10.0.0.9", "end": "10.0.0.2"}], "OutOfBoundsAllocationPool"),
    ([{"start": "10.0.0.2", "end": "10.0.0.20"}, {"start": "10.0.0.10", "end": "10.0.0.30"}],
     "OverlappingAllocationPools"),
    ([{"start": "10.0.0.0", "end": "10.0.0.5"}], "InvalidAllocationPool"),
    ([{"start": "bogus", "end": "10.0.0.5"}], "InvalidAllocationPool"),
    ([{"start": "10.0.0.1", "end": "10.0.0.5"}], "GatewayConflictWithAllocationPools"),
])
def test_bad_pools_are_refused(pools, error_type):
    with pytest.raises(BadRequest) as caught:
        ipam.validate_pools("10.0.0.0/24", pools, "10.0.0.1")
    assert caught.value.error_type == error_type


def test_eui64_address_from_mac():
    assert ipam.eui64_address("2001:db8::/64", "fa:16:3e:12:34:56") == ipaddress.ip_address(
        "2001:db8::f816:3eff:fe12:3456")


def _subnet(ctx, cidr, **extra):
    net = networks.create_network(ctx, {"name": f"net-{cidr}"})
    return networks.create_subnet(ctx, {"network_id": net.id, "cidr": cidr, "ip_version":
                                        ipaddress.ip_network(cidr).version, **extra})


def test_allocation_exhaustion_and_release(demo_ctx):
    subnet = _subnet(demo_ctx, "10.5.0.0/29")  # pool .2-.6: five addresses
    made = [ports.create_port(demo_ctx, {"network_id": subnet.network_id}) for _ in range(5)]
    addresses = sorted(IPAllocation.objects.filter(subnet=subnet).values_list("ip_address", flat=True))
    assert addresses == [f"10.5.0.{i}" for i in range(2, 7)]
    with pytest.raises(Conflict) as caught:
        ports.create_port(demo_ctx, {"network_id": subnet.network_id})
    assert caught.value.error_type == "IpAddressGenerationFailure"
    assert Port.objects.filter(network_id=subnet.network_id).count() == 5  # the failed port left no row
    freed = made[2].allocations.get().ip_address
    ports.delete_port(demo_ctx, made[2].id)
    again = ports.create_port(demo_ctx, {"network_id": subnet.network_id})
    assert again.allocations.get().ip_address == freed


def test_requested_address_checks(demo_ctx):
    subnet = _subnet(demo_ctx, "10.6.0.0/24")
    port = ports.create_port(demo_ctx, {"network_id": subnet.network_id,
                                        "fixed_ips": [{"subnet_id": subnet.id, "ip_address": "10.6.0.77"}]})
    assert port.allocations.get().ip_address == "10.6.0.77"
    for address, error_type in (("10.6.0.77", "IpAddressAlreadyAllocated"), ("10.6.0.1", "IpAddressAlreadyAllocated"),
                                ("10.7.0.5", "InvalidIpForNetwork")):
        with pytest.raises((Conflict, BadRequest)) as caught:
            ports.create_port(demo_ctx, {"network_id": subnet.network_id, "fixed_ips": [{"ip_address": address}]})
        assert caught.value.error_type == error_type


def test_ipv6_stateful_and_slaac(demo_ctx):
    stateful = _subnet(demo_ctx, "fd00:1::/64")
    port = ports.create_port(demo_ctx, {"network_id": stateful.network_id})
    assert ipaddress.ip_address(port.allocations.get().ip_address) in ipaddress.ip_network("fd00:1::/64")
    assert port.allocations.get().ip_address not in ("fd00:1::", "fd00:1::1")
    slaac = _subnet(demo_ctx, "fd00:2::/64", ipv6_address_mode="slaac", ipv6_ra_mode="slaac")
    port = ports.create_port(demo_ctx, {"network_id": slaac.network_id})
    assert port.allocations.get().ip_address == str(ipam.eui64_address("fd00:2::/64", port.mac_address))


def test_mac_addresses_are_unique_and_openstack_style(demo_ctx):
    subnet = _subnet(demo_ctx, "10.8.0.0/24")
    macs = [ports.create_port(demo_ctx, {"network_id": subnet.network_id}).mac_address for _ in range(20)]
    assert len(set(macs)) == 20 and all(m.startswith("fa:16:3e:") for m in macs)


@pytest.mark.django_db(transaction=True)
def test_concurrent_port_creation_never_shares_an_address(settings, tmp_path, monkeypatch):
    """Parallel threads, each its own connection and its own project (so no quota lock serialises them),
    race for the addresses of one small shared subnet."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises every writer")
    from core.context import RequestContext

    admin = RequestContext(project_id="admin-project", roles=("admin", "member", "reader"))
    net = networks.create_network(admin, {"name": "race", "shared": True})
    subnet = networks.create_subnet(admin, {"network_id": net.id, "cidr": "10.9.0.0/27", "ip_version": 4})
    lost_races = []
    real_insert = ipam._insert

    def counting_insert(port, subnet, address):
        won = real_insert(port, subnet, address)
        if not won:
            lost_races.append(address)
        return won

    monkeypatch.setattr(ipam, "_insert", counting_insert)
    threads, results, errors = [], [], []
    barrier = threading.Barrier(12)

    def worker(index):
        ctx = RequestContext(project_id=f"racer-{index}", roles=("member", "reader"))
        try:
            barrier.wait()
            for _ in range(3):
                port = ports.create_port(ctx, {"network_id": net.id})
                results.append(port.id)
        except Conflict as error:
            errors.append(error.error_type)
        finally:
            connections.close_all()

    for index in range(12):
        threads.append(threading.Thread(target=worker, args=(index,)))
        threads[-1].start()
    for thread in threads:
        thread.join()
    addresses = list(IPAllocation.objects.filter(subnet=subnet).values_list("ip_address", flat=True))
    assert len(addresses) == len(set(addresses))
    # 36 requests for 29 addresses: every address handed out exactly once, the rest refused cleanly.
    assert len(addresses) == 29 == len(results)
    assert errors and set(errors) == {"IpAddressGenerationFailure"}
    assert Port.objects.filter(network=net).count() == 29
    # The racers really did collide, and the unique constraint settled each collision.
    assert lost_races
