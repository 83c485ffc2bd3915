"""Neutron's data: networks, subnets, ports and their IP allocations, routers, floating IPs,
security groups and rules, RBAC policies. Rows change only through network.services."""

import uuid

from django.db import models


def new_uuid():
    return str(uuid.uuid4())


class StandardAttrs(models.Model):
    """What every Neutron resource carries: id, project, description, tags, revision, timestamps."""

    id = models.CharField(max_length=36, primary_key=True, default=new_uuid)
    project_id = models.CharField(max_length=64, db_index=True, blank=True, default="")
    description = models.CharField(max_length=255, blank=True, default="")
    tags = models.JSONField(default=list, blank=True)
    revision_number = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def bump(self):
        self.revision_number += 1


class Network(StandardAttrs):
    name = models.CharField(max_length=255, blank=True, default="", db_index=True)
    admin_state_up = models.BooleanField(default=True)
    status = models.CharField(max_length=16, default="ACTIVE")
    # True when an access_as_shared RBAC policy targets every project ('*').
    shared = models.BooleanField(default=False)
    # True when an access_as_external RBAC policy targets every project ('*').
    external = models.BooleanField(default=False)
    mtu = models.IntegerField(default=1500)
    port_security_enabled = models.BooleanField(default=True)
    network_type = models.CharField(max_length=32, default="vxlan")
    physical_network = models.CharField(max_length=64, null=True, blank=True)
    segmentation_id = models.IntegerField(null=True, blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        permissions = [("access_as_shared_network", "Use the network as if it were shared"),
                       ("access_as_external_network", "Use the network as an external network")]

    def __str__(self):
        return self.name or self.id


class Subnet(StandardAttrs):
    name = models.CharField(max_length=255, blank=True, default="", db_index=True)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="subnets")
    ip_version = models.IntegerField()
    cidr = models.CharField(max_length=64)
    gateway_ip = models.CharField(max_length=64, null=True, blank=True)
    allocation_pools = models.JSONField(default=list)  # [{"start", "end"}]
    enable_dhcp = models.BooleanField(default=True)
    dns_nameservers = models.JSONField(default=list)
    host_routes = models.JSONField(default=list)  # [{"destination", "nexthop"}]
    ipv6_ra_mode = models.CharField(max_length=32, null=True, blank=True)
    ipv6_address_mode = models.CharField(max_length=32, null=True, blank=True)

    def __str__(self):
        return f"{self.name or self.id} {self.cidr}"


class Router(StandardAttrs):
    name = models.CharField(max_length=255, blank=True, default="", db_index=True)
    admin_state_up = models.BooleanField(default=True)
    status = models.CharField(max_length=16, default="ACTIVE")
    gateway_network = models.ForeignKey(Network, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="gateway_routers")
    enable_snat = models.BooleanField(default=True)
    routes = models.JSONField(default=list)  # [{"destination", "nexthop"}]

    def __str__(self):
        return self.name or self.id


class SecurityGroup(StandardAttrs):
    name = models.CharField(max_length=255, blank=True, default="", db_index=True)
    stateful = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project_id"], condition=models.Q(name="default"),
                                               name="network_one_default_sg_per_project")]

    def __str__(self):
        return f"{self.name} ({self.project_id})"


class SecurityGroupRule(StandardAttrs):
    security_group = models.ForeignKey(SecurityGroup, on_delete=models.CASCADE, related_name="rules")
    direction = models.CharField(max_length=8)
    ethertype = models.CharField(max_length=4, default="IPv4")
    protocol = models.CharField(max_length=40, null=True, blank=True)
    port_range_min = models.IntegerField(null=True, blank=True)
    port_range_max = models.IntegerField(null=True, blank=True)
    remote_ip_prefix = models.CharField(max_length=64, null=True, blank=True)
    remote_group = models.ForeignKey(SecurityGroup, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="remote_rules")

    def __str__(self):
        return f"{self.direction} {self.ethertype} {self.protocol or 'any'}"


class Port(StandardAttrs):
    name = models.CharField(max_length=255, blank=True, default="", db_index=True)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="ports")
    mac_address = models.CharField(max_length=17, unique=True)
    admin_state_up = models.BooleanField(default=True)
    status = models.CharField(max_length=16, default="DOWN")
    device_id = models.CharField(max_length=255, blank=True, default="", db_index=True)
    device_owner = models.CharField(max_length=255, blank=True, default="", db_index=True)
    binding_host_id = models.CharField(max_length=255, blank=True, default="")
    binding_vnic_type = models.CharField(max_length=32, default="normal")
    binding_profile = models.JSONField(default=dict, blank=True)
    port_security_enabled = models.BooleanField(default=True)
    allowed_address_pairs = models.JSONField(default=list, blank=True)
    security_groups = models.ManyToManyField(SecurityGroup, blank=True, related_name="ports")
    # Made by allocate_for_instance (deleted with the instance) rather than given by the user.
    created_for_instance = models.BooleanField(default=False)

    def __str__(self):
        return self.name or self.id


class IPAllocation(models.Model):
    """One address of a subnet held by one port; the unique pair is what makes IPAM race-free."""

    port = models.ForeignKey(Port, on_delete=models.CASCADE, related_name="allocations")
    subnet = models.ForeignKey(Subnet, on_delete=models.PROTECT, related_name="allocations")
    ip_address = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subnet", "ip_address"], name="network_ip_once_per_subnet")]

    def __str__(self):
        return self.ip_address


class RouterInterface(models.Model):
    """A router's leg: the port (device_owner network:router_interface or router_gateway) it owns."""

    router = models.ForeignKey(Router, on_delete=models.CASCADE, related_name="interfaces")
    port = models.OneToOneField(Port, on_delete=models.CASCADE, related_name="router_interface")
    kind = models.CharField(max_length=16, default="interface")  # interface | gateway


class FloatingIP(StandardAttrs):
    floating_network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="floating_ips")
    floating_port = models.OneToOneField(Port, on_delete=models.PROTECT, related_name="floating_ip_owner")
    floating_ip_address = models.CharField(max_length=64)
    port = models.ForeignKey(Port, null=True, blank=True, on_delete=models.SET_NULL, related_name="floating_ips")
    fixed_ip_address = models.CharField(max_length=64, null=True, blank=True)
    router = models.ForeignKey(Router, null=True, blank=True, on_delete=models.PROTECT, related_name="floating_ips")
    status = models.CharField(max_length=16, default="DOWN")

    class Meta:
        # One floating IP per fixed address, even when two associations race.
        constraints = [models.UniqueConstraint(fields=["port", "fixed_ip_address"],
                                               condition=models.Q(port__isnull=False),
                                               name="network_one_fip_per_fixed_ip")]

    def __str__(self):
        return self.floating_ip_address


class RBACPolicy(models.Model):
    id = models.CharField(max_length=36, primary_key=True, default=new_uuid)
    project_id = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=32, default="network")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="rbac_policies")
    action = models.CharField(max_length=32)
    target_tenant = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "action", "target_tenant"],
                                               name="network_rbac_unique")]

    def __str__(self):
        return f"{self.action} {self.network_id} -> {self.target_tenant}"
