"""Security groups and their rules; every project gets a `default` group on first use."""

import ipaddress

from django.db import IntegrityError, transaction

from core import quotas
from network.drivers import get_driver
from network.models import SecurityGroup, SecurityGroupRule
from network.services.common import (apply_common, bad_request, check_bool, conflict, enforce, not_found,
                                     owner_project, own_q, reject_unknown)

SG_CREATE = {"name", "description", "tags", "project_id", "tenant_id", "stateful"}
SG_UPDATE = {"name", "description", "tags", "stateful"}
RULE_CREATE = {"security_group_id", "direction", "ethertype", "protocol", "port_range_min", "port_range_max",
               "remote_ip_prefix", "remote_group_id", "description", "project_id", "tenant_id",
               "remote_address_group_id"}
PROTOCOL_NUMBERS = {"ah": 51, "dccp": 33, "egp": 8, "esp": 50, "gre": 47, "hopopt": 0, "icmp": 1, "igmp": 2,
                    "ipip": 4, "ipv6-encap": 41, "ipv6-frag": 44, "ipv6-icmp": 58, "icmpv6": 58,
                    "ipv6-nonxt": 59, "ipv6-opts": 60, "ipv6-route": 43, "ospf": 89, "pgm": 113, "rsvp": 46,
                    "sctp": 132, "tcp": 6, "udp": 17, "udplite": 136, "vrrp": 112}
PORT_PROTOCOLS = {"tcp", "udp", "sctp", "dccp", "udplite", "6", "17", "132", "33", "136"}
ICMP_PROTOCOLS = {"icmp", "icmpv6", "ipv6-icmp", "1", "58"}


def ensure_default_security_group(project_id):
    """The project's `default` group, made with Neutron's four rules the first time it is needed."""
    if not project_id:
        return None
    group = SecurityGroup.objects.filter(project_id=project_id, name="default").first()
    if group is not None:
        return group
    try:
        with transaction.atomic():
            group = SecurityGroup.objects.create(project_id=project_id, name="default",
                                                 description="Default security group")
            for ethertype in ("IPv4", "IPv6"):
                SecurityGroupRule.objects.create(project_id=project_id, security_group=group, direction="egress",
                                                 ethertype=ethertype)
                SecurityGroupRule.objects.create(project_id=project_id, security_group=group,
                                                 direction="ingress", ethertype=ethertype, remote_group=group)
    except IntegrityError:
        # Another request made it first (the partial unique index on name='default').
        group = SecurityGroup.objects.get(project_id=project_id, name="default")
    return group


def _ensure_for_caller(ctx):
    if ctx.project_id:
        ensure_default_security_group(ctx.project_id)


def list_security_groups(ctx):
    _ensure_for_caller(ctx)
    return SecurityGroup.objects.filter(own_q(ctx))


def get_security_group(ctx, group_id):
    _ensure_for_caller(ctx)
    group = SecurityGroup.objects.filter(own_q(ctx), id=str(group_id)).first()
    if group is None:
        raise not_found("SecurityGroupNotFound", f"Security group {group_id} does not exist")
    return group


def create_security_group(ctx, body):
    reject_unknown(body, SG_CREATE, "security_group")
    project_id = owner_project(ctx, body)
    enforce(ctx, "create_security_group", {"project_id": project_id})
    ensure_default_security_group(project_id)
    group = SecurityGroup(project_id=project_id)
    apply_common(group, body)
    if group.name == "default":
        raise conflict("SecurityGroupDefaultAlreadyExists", "Default security group already exists.")
    if "stateful" in body:
        group.stateful = check_bool(body, "stateful")
    with transaction.atomic(), quotas.reserve(project_id, security_group=1, security_group_rule=2):
        group.save()
        for ethertype in ("IPv4", "IPv6"):
            SecurityGroupRule.objects.create(project_id=project_id, security_group=group, direction="egress",
                                             ethertype=ethertype)
    return group


def update_security_group(ctx, group_id, body):
    reject_unknown(body, SG_UPDATE, "security_group")
    with transaction.atomic():
        group = get_security_group(ctx, group_id)
        enforce(ctx, "update_security_group", {"project_id": group.project_id})
        if group.name == "default" and body.get("name") not in (None, "default"):
            raise conflict("SecurityGroupCannotUpdateDefault", "Updating default security group not allowed.")
        if body.get("name") == "default" and group.name != "default":
            raise conflict("SecurityGroupDefaultAlreadyExists", "Default security group already exists.")
        apply_common(group, body)
        if "stateful" in body:
            group.stateful = check_bool(body, "stateful")
        group.bump()
        group.save()
    return group


def delete_security_group(ctx, group_id):
    with transaction.atomic():
        group = get_security_group(ctx, group_id)
        enforce(ctx, "delete_security_group", {"project_id": group.project_id})
        if group.name == "default" and not ctx.is_admin:
            raise conflict("SecurityGroupCannotRemoveDefault", "Insufficient rights for removing default "
                                                               "security group.")
        if group.ports.exists():
            raise conflict("SecurityGroupInUse", f"Security Group {group.id} in use.")
        group.delete()


# -- rules -----------------------------------------------------------------------------------

def list_rules(ctx):
    _ensure_for_caller(ctx)
    if ctx.is_admin:
        return SecurityGroupRule.objects.all()
    return SecurityGroupRule.objects.filter(security_group__project_id=ctx.project_id)


def get_rule(ctx, rule_id):
    rule = list_rules(ctx).select_related("security_group").filter(id=str(rule_id)).first()
    if rule is None:
        raise not_found("SecurityGroupRuleNotFound", f"Security group rule {rule_id} does not exist")
    return rule


def _port_value(body, key):
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"Invalid input for {key}. Reason: '{value}' is not an integer.")
    return value


def _protocol(value, ethertype):
    if value is None or value in ("any", ""):
        return None
    value = str(value).lower()
    if value.isdigit():
        if not 0 <= int(value) <= 255:
            raise bad_request(f"Security group rule protocol {value} not supported.",
                              "SecurityGroupRuleInvalidProtocol")
        return value
    if value not in PROTOCOL_NUMBERS:
        raise bad_request(f"Security group rule protocol {value} not supported. Only protocol values "
                          f"{sorted(PROTOCOL_NUMBERS)} and integer representations [0 to 255] are supported.",
                          "SecurityGroupRuleInvalidProtocol")
    if value == "icmp" and ethertype == "IPv6":
        return "ipv6-icmp"
    return value


def create_rule(ctx, body):
    reject_unknown(body, RULE_CREATE, "security_group_rule")
    if not body.get("security_group_id"):
        raise bad_request("Failed to parse request. Required attribute 'security_group_id' not specified")
    group = get_security_group(ctx, body["security_group_id"])
    enforce(ctx, "create_security_group_rule", {"project_id": group.project_id})
    direction = body.get("direction")
    if direction not in ("ingress", "egress"):
        raise bad_request(f"Invalid input for direction. Reason: '{direction}' is not in ['ingress', 'egress'].")
    ethertype = body.get("ethertype") or "IPv4"
    if ethertype not in ("IPv4", "IPv6"):
        raise bad_request(f"Invalid input for ethertype. Reason: '{ethertype}' is not in ['IPv4', 'IPv6'].")
    protocol = _protocol(body.get("protocol"), ethertype)
    low, high = _port_value(body, "port_range_min"), _port_value(body, "port_range_max")
    if protocol in PORT_PROTOCOLS:
        if low is None and high is not None:
            raise bad_request("For TCP/UDP protocols, port_range_min must be <= port_range_max",
                              "SecurityGroupInvalidPortRange")
        if low is not None:
            high = low if high is None else high
            if not (1 <= low <= 65535 and 1 <= high <= 65535):
                raise bad_request(f"Invalid value for port {low if not 1 <= low <= 65535 else high}",
                                  "SecurityGroupInvalidPortValue")
            if low > high:
                raise bad_request("For TCP/UDP protocols, port_range_min must be <= port_range_max",
                                  "SecurityGroupInvalidPortRange")
    elif protocol in ICMP_PROTOCOLS:
        for key, value in (("type", low), ("code", high)):
            if value is not None and not 0 <= value <= 255:
                raise bad_request(f"Invalid value for ICMP {key} ({'port_range_min' if key == 'type' else 'port_range_max'}) "
                                  f"{value}. It must be 0 to 255.", "SecurityGroupInvalidIcmpValue")
        if high is not None and low is None:
            raise bad_request(f"ICMP code (port-range-max) {high} is provided but ICMP type (port-range-min) is "
                              "missing.", "SecurityGroupMissingIcmpType")
    elif low is not None or high is not None:
        raise bad_request("Security group rule for protocol without ports must not specify a port range.",
                          "SecurityGroupInvalidProtocolForPort")
    prefix = body.get("remote_ip_prefix")
    remote_group = None
    if prefix is not None:
        try:
            net = ipaddress.ip_network(str(prefix), strict=False)
        except ValueError:
            raise bad_request(f"Invalid input for remote_ip_prefix. Reason: '{prefix}' is not a valid IP prefix."
                              ) from None
        if net.version != (4 if ethertype == "IPv4" else 6):
            raise bad_request(f"Conflicting value ethertype {ethertype} for CIDR {prefix}",
                              "SecurityGroupRuleParameterConflict")
        prefix = str(net)
    if body.get("remote_group_id"):
        if prefix is not None:
            raise bad_request("Only remote_ip_prefix or remote_group_id may be provided.",
                              "SecurityGroupRemoteGroupAndRemoteIpPrefix")
        remote_group = get_security_group(ctx, body["remote_group_id"])
    if body.get("remote_address_group_id"):
        raise bad_request("Address groups are not supported by this cloud.")
    rule = SecurityGroupRule(project_id=group.project_id, security_group=group, direction=direction,
                             ethertype=ethertype, protocol=protocol, port_range_min=low, port_range_max=high,
                             remote_ip_prefix=prefix, remote_group=remote_group)
    apply_common(rule, body)
    with transaction.atomic(), quotas.reserve(group.project_id, security_group_rule=1):
        group = type(group).objects.select_for_update().get(pk=group.pk)
        for existing in group.rules.all():
            if _same(existing, rule):
                raise conflict("SecurityGroupRuleExists", f"Security group rule already exists. Rule id is "
                                                          f"{existing.id}.")
        rule.save()
        group.bump()
        group.save(update_fields=["revision_number", "updated_at"])
        transaction.on_commit(lambda: get_driver().security_group_updated(group.id))
    return rule


def _normal_prefix(value):
    if value in ("0.0.0.0/0", "::/0"):
        return None
    return value


def _same(a, b):
    return (a.direction, a.ethertype, a.protocol, a.port_range_min, a.port_range_max,
            _normal_prefix(a.remote_ip_prefix), a.remote_group_id) == (
        b.direction, b.ethertype, b.protocol, b.port_range_min, b.port_range_max,
        _normal_prefix(b.remote_ip_prefix), b.remote_group.id if b.remote_group else None)


def delete_rule(ctx, rule_id):
    with transaction.atomic():
        rule = get_rule(ctx, rule_id)
        enforce(ctx, "delete_security_group_rule", {"project_id": rule.project_id})
        group_id = rule.security_group_id
        rule.delete()
        transaction.on_commit(lambda: get_driver().security_group_updated(group_id))
