"""Default policy rules of the network service (overridable by NEBULA_POLICY_FILE)."""

ADMIN_ONLY = "rule:admin_required"
MEMBER = "rule:admin_or_member"

DEFAULTS = {
    "network:create_network:shared": ADMIN_ONLY,
    "network:create_network:router:external": ADMIN_ONLY,
    "network:create_network:is_default": ADMIN_ONLY,
    "network:create_network:provider": ADMIN_ONLY,
    "network:update_network:shared": ADMIN_ONLY,
    "network:update_network:router:external": ADMIN_ONLY,
    "network:update_network:is_default": ADMIN_ONLY,
    "network:update_port:binding": ADMIN_ONLY,
    "network:create_floatingip:floating_ip_address": ADMIN_ONLY,
    "network:create_rbac_policy:target_tenant": ADMIN_ONLY,
}
for _kind in ("network", "subnet", "port", "router", "floatingip", "security_group", "security_group_rule",
              "rbac_policy"):
    for _verb in ("create", "update", "delete"):
        DEFAULTS[f"network:{_verb}_{_kind}"] = MEMBER
DEFAULTS["network:add_router_interface"] = MEMBER
DEFAULTS["network:remove_router_interface"] = MEMBER
