"""IP address management: pools, the next free address, and the race-free claim.

Two requests that pick the same address both try to INSERT (subnet, ip_address); the unique
constraint lets exactly one win. The loser's INSERT fails inside a savepoint, which is rolled back,
and it tries another address: no address is ever handed out twice, and no table lock is held.
"""

import ipaddress
import random
import secrets

from django.db import IntegrityError, transaction

from network.models import IPAllocation, Port
from network.services.common import bad_request, conflict

CANDIDATES = 64
ATTEMPTS = 50


def default_pools(cidr, gateway_ip):
    """Neutron's pools: the whole subnet minus network, broadcast (v4) and the gateway."""
    net = ipaddress.ip_network(cidr)
    first = net.network_address + 1
    last = net.broadcast_address - 1 if net.version == 4 else net.broadcast_address
    if net.num_addresses <= 2 and net.version == 4:
        return []
    pools = []
    gateway = ipaddress.ip_address(gateway_ip) if gateway_ip else None
    if gateway is not None and first <= gateway <= last:
        if gateway > first:
            pools.append((first, gateway - 1))
        if gateway < last:
            pools.append((gateway + 1, last))
    else:
        pools.append((first, last))
    return [{"start": str(a), "end": str(b)} for a, b in pools]


def validate_pools(cidr, pools, gateway_ip):
    net = ipaddress.ip_network(cidr)
    parsed = []
    for pool in pools:
        if not isinstance(pool, dict) or "start" not in pool or "end" not in pool:
            raise bad_request("Invalid input for allocation_pools. Reason: each pool needs start and end.")
        try:
            start, end = ipaddress.ip_address(pool["start"]), ipaddress.ip_address(pool["end"])
        except (ValueError, TypeError):
            raise bad_request(f"Invalid allocation pool {pool}.", "InvalidAllocationPool") from None
        if start.version != net.version or end.version != net.version or start not in net or end not in net \
                or start > end:
            raise bad_request(f"The allocation pool {pool['start']}-{pool['end']} spans beyond the subnet "
                              f"cidr {cidr}.", "OutOfBoundsAllocationPool")
        if start == net.network_address or (net.version == 4 and end == net.broadcast_address
                                            and net.num_addresses > 2):
            raise bad_request(f"The allocation pool {pool['start']}-{pool['end']} includes the network or "
                              f"broadcast address.", "InvalidAllocationPool")
        parsed.append((start, end))
    parsed.sort()
    for (a_start, a_end), (b_start, _b_end) in zip(parsed, parsed[1:]):
        if b_start <= a_end:
            raise bad_request("Found overlapping allocation pools.", "OverlappingAllocationPools")
    if gateway_ip:
        gateway = ipaddress.ip_address(gateway_ip)
        for start, end in parsed:
            if start <= gateway <= end:
                raise bad_request(f"Gateway ip {gateway_ip} conflicts with allocation pool "
                                  f"{start}-{end}.", "GatewayConflictWithAllocationPools")
    return [{"start": str(a), "end": str(b)} for a, b in parsed]


def in_pools(subnet, address):
    for pool in subnet.allocation_pools:
        if ipaddress.ip_address(pool["start"]) <= address <= ipaddress.ip_address(pool["end"]):
            return True
    return False


def is_auto_address(subnet):
    return subnet.ip_version == 6 and subnet.ipv6_address_mode in ("slaac", "dhcpv6-stateless")


def eui64_address(cidr, mac):
    """SLAAC: the interface id from the MAC (flip the U/L bit, insert ff:fe)."""
    octets = [int(part, 16) for part in mac.split(":")]
    octets[0] ^= 0x02
    interface_id = bytes(octets[:3] + [0xFF, 0xFE] + octets[3:])
    net = ipaddress.ip_network(cidr)
    return ipaddress.ip_address(int(net.network_address) | int.from_bytes(interface_id, "big"))


def _free_candidates(subnet):
    used = set(IPAllocation.objects.filter(subnet=subnet).values_list("ip_address", flat=True))
    if subnet.gateway_ip:
        used.add(str(ipaddress.ip_address(subnet.gateway_ip)))
    found = []
    for pool in subnet.allocation_pools:
        address = ipaddress.ip_address(pool["start"])
        end = ipaddress.ip_address(pool["end"])
        while address <= end and len(found) < CANDIDATES:
            if str(address) not in used:
                found.append(str(address))
            address += 1
        if len(found) >= CANDIDATES:
            break
    return found


def _insert(port, subnet, address):
    """True if this transaction now holds the address, False if another one holds it."""
    try:
        with transaction.atomic():
            IPAllocation.objects.create(port=port, subnet=subnet, ip_address=address)
        return True
    except IntegrityError:
        return False


def allocate(port, subnet, ip_address=None):
    """Give port one address of subnet: the requested one, or any free one from the pools."""
    if ip_address is not None:
        try:
            address = ipaddress.ip_address(ip_address)
        except (ValueError, TypeError):
            raise bad_request(f"Invalid input: '{ip_address}' is not a valid IP address.") from None
        if address not in ipaddress.ip_network(subnet.cidr):
            raise bad_request(f"IP address {ip_address} is not a valid IP for the specified subnet.",
                              "InvalidIpForSubnet")
        is_gateway = subnet.gateway_ip and address == ipaddress.ip_address(subnet.gateway_ip)
        if is_gateway and not port.device_owner.startswith("network:"):
            raise conflict("IpAddressAlreadyAllocated",
                           f"IP address {ip_address} already allocated in subnet {subnet.id}")
        if not _insert(port, subnet, str(address)):
            raise conflict("IpAddressAlreadyAllocated",
                           f"IP address {ip_address} already allocated in subnet {subnet.id}")
        return str(address)
    if is_auto_address(subnet):
        address = str(eui64_address(subnet.cidr, port.mac_address))
        if not _insert(port, subnet, address):
            raise conflict("IpAddressAlreadyAllocated", f"IP address {address} already allocated in subnet "
                                                        f"{subnet.id}")
        return address
    for _attempt in range(ATTEMPTS):
        candidates = _free_candidates(subnet)
        if not candidates:
            break
        # As Neutron does: a random pick among the lowest free addresses, so that concurrent requests
        # rarely collide (a collision makes the loser wait for the winner's transaction, then retry).
        random.shuffle(candidates)
        for address in candidates[:4]:
            if _insert(port, subnet, address):
                return address
    raise conflict("IpAddressGenerationFailure", f"No more IP addresses available on network {subnet.network_id}.")


def release(port, subnet_ids=None):
    allocations = IPAllocation.objects.filter(port=port)
    if subnet_ids is not None:
        allocations = allocations.filter(subnet_id__in=subnet_ids)
    allocations.delete()


def new_mac():
    """fa:16:3e:xx:xx:xx that no port holds yet (the unique column settles races at insert)."""
    for _attempt in range(20):
        mac = "fa:16:3e:" + ":".join(f"{b:02x}" for b in secrets.token_bytes(3))
        if not Port.objects.filter(mac_address=mac).exists():
            return mac
    raise conflict("MacAddressGenerationFailure", "Unable to generate a unique MAC address.")


def count_available(subnet):
    total = sum(int(ipaddress.ip_address(p["end"])) - int(ipaddress.ip_address(p["start"])) + 1
                for p in subnet.allocation_pools)
    return total - IPAllocation.objects.filter(subnet=subnet).count()
