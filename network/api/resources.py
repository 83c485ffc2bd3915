"""What the generic API views need to know of each Neutron collection: names, service calls, filters."""

from dataclasses import dataclass, field

from network.services import networks, ports, rbac, routers, security_groups


@dataclass(frozen=True)
class Resource:
    collection: str  # URL segment
    singular: str  # body key
    plural: str  # list body key
    kind: str  # render / prefetch key
    list: object
    get: object
    create: object
    update: object
    delete: object
    # query parameter -> ORM lookup ("bool:" prefix: parse a boolean)
    filters: dict = field(default_factory=dict)


COMMON = {"id": "id", "project_id": "project_id", "tenant_id": "project_id", "description": "description",
          "revision_number": "revision_number", "created_at": "created_at", "updated_at": "updated_at"}

RESOURCES = {r.collection: r for r in [
    Resource("networks", "network", "networks", "network", networks.list_networks, networks.get_network,
             networks.create_network, networks.update_network, networks.delete_network,
             {**COMMON, "name": "name", "status": "status", "admin_state_up": "bool:admin_state_up",
              "shared": "bool:shared", "router:external": "bool:external", "mtu": "mtu",
              "port_security_enabled": "bool:port_security_enabled", "is_default": "bool:is_default",
              "provider:network_type": "network_type", "provider:physical_network": "physical_network",
              "provider:segmentation_id": "segmentation_id"}),
    Resource("subnets", "subnet", "subnets", "subnet", networks.list_subnets, networks.get_subnet,
             networks.create_subnet, networks.update_subnet, networks.delete_subnet,
             {**COMMON, "name": "name", "network_id": "network_id", "ip_version": "ip_version", "cidr": "cidr",
              "gateway_ip": "gateway_ip", "enable_dhcp": "bool:enable_dhcp", "ipv6_ra_mode": "ipv6_ra_mode",
              "ipv6_address_mode": "ipv6_address_mode"}),
    Resource("ports", "port", "ports", "port", ports.list_ports, ports.get_port, ports.create_port,
             ports.update_port, ports.delete_port,
             {**COMMON, "name": "name", "network_id": "network_id", "mac_address": "mac_address",
              "device_id": "device_id", "device_owner": "device_owner", "status": "status",
              "admin_state_up": "bool:admin_state_up", "binding:host_id": "binding_host_id",
              "binding:vnic_type": "binding_vnic_type", "port_security_enabled": "bool:port_security_enabled",
              "security_groups": "security_groups__id"}),
    Resource("routers", "router", "routers", "router", routers.list_routers, routers.get_router,
             routers.create_router, routers.update_router, routers.delete_router,
             {**COMMON, "name": "name", "status": "status", "admin_state_up": "bool:admin_state_up"}),
    Resource("floatingips", "floatingip", "floatingips", "floatingip", routers.list_floating_ips,
             routers.get_floating_ip, routers.create_floating_ip, routers.update_floating_ip,
             routers.delete_floating_ip,
             {**COMMON, "floating_ip_address": "floating_ip_address", "floating_network_id": "floating_network_id",
              "port_id": "port_id", "fixed_ip_address": "fixed_ip_address", "router_id": "router_id",
              "status": "status"}),
    Resource("security-groups", "security_group", "security_groups", "security_group",
             security_groups.list_security_groups, security_groups.get_security_group,
             security_groups.create_security_group, security_groups.update_security_group,
             security_groups.delete_security_group,
             {**COMMON, "name": "name", "stateful": "bool:stateful"}),
    Resource("security-group-rules", "security_group_rule", "security_group_rules", "security_group_rule",
             security_groups.list_rules, security_groups.get_rule, security_groups.create_rule, None,
             security_groups.delete_rule,
             {**COMMON, "security_group_id": "security_group_id", "direction": "direction",
              "ethertype": "ethertype", "protocol": "protocol", "port_range_min": "port_range_min",
              "port_range_max": "port_range_max", "remote_ip_prefix": "remote_ip_prefix",
              "remote_group_id": "remote_group_id"}),
    Resource("rbac-policies", "rbac_policy", "rbac_policies", "rbac_policy", rbac.list_policies, rbac.get_policy,
             rbac.create_policy, rbac.update_policy, rbac.delete_policy,
             {"id": "id", "project_id": "project_id", "tenant_id": "project_id", "object_id": "network_id",
              "object_type": "object_type", "action": "action", "target_tenant": "target_tenant",
              "target_project": "target_tenant"}),
]}

EXTENSIONS = [
    ("security-group", "security-group", "The security groups extension."),
    ("router", "Neutron L3 Router", "Router abstraction for basic L3 forwarding between L2 networks and "
                                    "access to external networks via a NAT gateway."),
    ("external-net", "Neutron external network", "Adds external network attribute to network resource."),
    ("ext-gw-mode", "Neutron L3 Configurable external gateway mode", "Extension of the router abstraction for "
                                                                     "specifying whether SNAT should occur on "
                                                                     "the external gateway"),
    ("extraroute", "Neutron Extra Route", "Extra routes configuration for L3 router"),
    ("quotas", "Quota management support", "Expose functions for quotas management per tenant"),
    ("quota_details", "Quota details management support", "Expose functions for quotas usage statistics per "
                                                          "project"),
    ("rbac-policies", "RBAC Policies", "Allows creation and modification of policies that control tenant access "
                                       "to resources."),
    ("standard-attr-tag", "Tag support for resources with standard attribute", "Enables to set tag on "
                                                                                "resources with standard attribute."),
    ("standard-attr-description", "standard-attr-description", "Extension to add descriptions to standard "
                                                               "attributes"),
    ("standard-attr-revisions", "Resource revision numbers", "This extension will display the revision number "
                                                             "of neutron resources."),
    ("standard-attr-timestamp", "Resource timestamps", "Adds created_at and updated_at fields to all Neutron "
                                                       "resources that have Neutron standard attributes."),
    ("binding", "Port Binding", "Expose port bindings of a virtual port to external application"),
    ("port-security", "Port Security", "Provides port security"),
    ("allowed-address-pairs", "Allowed Address Pairs", "Provides allowed address pairs"),
    ("net-mtu", "Network MTU", "Provides MTU attribute for a network resource."),
    ("provider", "Provider Network", "Expose mapping of virtual networks to physical networks"),
    ("project-id", "project_id field enabled", "Extension that indicates that project_id field is enabled."),
    ("sorting", "Sorting support", "Enables sorting support for resources"),
    ("pagination", "Pagination support", "Enables pagination support for resources"),
    ("stateful-security-group", "Stateful security group", "Indicates if the security group is stateful or not"),
]
