"""The interface between the network service layer and a data plane.

The service layer owns every row and every decision (IPAM, policy, quotas, conflicts); a driver only
makes the host match what the rows say. Each hook is called after the service's transaction has
committed (``transaction.on_commit``), with plain dicts (the rendered resource), never model
instances, so a driver needs neither the ORM nor HTTP, and a hook that fails cannot leave a
half-written record: the driver reconciles on its next ``sync``.

Plan for the future ``linux`` driver (a later issue; nothing here depends on it):

* Networks: one Linux bridge per network, ``brq<network id[:11]>`` (the name ``bridge_name`` below
  returns and compute's libvirt driver plugs a tap into). Tenant networks get a VXLAN device
  (``vxlan-<segmentation_id>``) enslaved to the bridge for multi-host; ``flat`` provider networks
  (the bootstrap's ``public``) enslave the operator-named physical interface instead. Nothing is ever
  configured on a real interface unless the operator maps ``physical_network`` to one.
* DHCP: per network with a DHCP-enabled subnet, a namespace ``qdhcp-<network id>`` with a veth into
  the bridge and one ``dnsmasq`` per namespace, fed a hosts file (MAC, IP, hostname) written from the
  ports' fixed IPs, ``--dhcp-range`` per subnet and ``--dhcp-option`` for gateway, DNS and host
  routes; ``port_created``/``port_deleted`` rewrite the hosts file and SIGHUP dnsmasq.
* Routers: a namespace ``qrouter-<router id>``; one veth per interface (``qr-<port id[:11]>``)
  carrying the interface port's gateway address into the subnet's bridge, ``qg-<port id[:11]>`` on
  the external bridge for the gateway; static ``routes`` become ``ip route`` entries in the namespace.
* NAT: in the router namespace an nftables table ``nebula-nat``: SNAT (masquerade to the gateway
  address) for every interface subnet when ``enable_snat``; for each floating IP a DNAT rule
  (floating -> fixed) and an SNAT rule (fixed -> floating), plus the floating address on ``qg-``
  with gratuitous ARP.
* Security groups: an nftables table ``nebula-sg`` in the root namespace hooked on the bridge
  family: per port a chain matched on the tap name, ingress/egress rules translated one to one
  (protocol, port range, ICMP type/code, remote prefix; remote groups as named sets of the member
  ports' addresses, updated on ``port_*`` hooks), conntrack ``established,related`` accepted first,
  anti-spoofing (MAC + fixed IPs + allowed address pairs) when ``port_security_enabled``.
* ``sync()`` rebuilds all of the above from the database at worker start, so hooks may be lost.
"""


class NetworkDriver:
    """Hooks called by network.services after each committed change; the default does nothing."""

    name = "base"
    vif_type = "bridge"

    def bridge_name(self, network_id):
        """The host bridge an instance's tap joins for this network."""
        return f"brq{network_id[:11]}"

    def network_created(self, network):
        pass

    def network_updated(self, network):
        pass

    def network_deleted(self, network):
        pass

    def subnet_created(self, subnet):
        pass

    def subnet_deleted(self, subnet):
        pass

    def port_created(self, port):
        pass

    def port_updated(self, port):
        pass

    def port_bound(self, port, host):
        pass

    def port_deleted(self, port):
        pass

    def router_updated(self, router):
        """Interfaces, gateway or routes changed."""

    def router_deleted(self, router):
        pass

    def floating_ip_updated(self, floating_ip):
        """Associated, disassociated or created."""

    def floating_ip_deleted(self, floating_ip):
        pass

    def security_group_updated(self, security_group_id):
        """A rule was added or removed, or the group's membership changed."""

    def sync(self):
        """Make the host match the database (called at worker start)."""
