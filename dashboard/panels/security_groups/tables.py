from django.urls import reverse

from dashboard import tables
from network.services import security_groups


def detail_url(row):
    return reverse("dashboard:project:security_groups:detail", args=[row["id"]])


class SecurityGroupsTable(tables.Table):
    name = "security_groups"
    columns = [
        tables.Column("name", link=detail_url),
        tables.Column("description", sortable=False),
        tables.Column("rule_count", label="Rules", accessor=lambda r: len(r["security_group_rules"])),
    ]
    filter_fields = ["name", "description"]
    default_sort = "name"
    empty_message = "No security groups."
    table_actions = [tables.ModalAction("create", "Create Security Group", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:project:security_groups:create")]
    row_actions = [
        tables.LinkAction("rules", "Manage Rules", url=detail_url, icon="bi-list-check"),
        tables.DeleteAction(security_groups.delete_security_group, "security group",
                            allowed=lambda request, row: row is None or row["name"] != "default"),
    ]


def _ports(rule):
    if rule["port_range_min"] is None:
        return "Any"
    if rule["protocol"] in ("icmp", "ipv6-icmp", "icmpv6"):
        return f"type {rule['port_range_min']}" + (f" code {rule['port_range_max']}"
                                                   if rule["port_range_max"] is not None else "")
    if rule["port_range_min"] == rule["port_range_max"]:
        return str(rule["port_range_min"])
    return f"{rule['port_range_min']}-{rule['port_range_max']}"


class RulesTable(tables.Table):
    name = "rules"
    verbose_name = "Rules"
    columns = [
        tables.Column("direction"),
        tables.Column("ethertype", label="Ether Type"),
        tables.Column("protocol", accessor=lambda r: r["protocol"] or "Any"),
        tables.Column("ports", label="Port Range", accessor=_ports, sortable=False),
        tables.Column("remote", label="Remote", sortable=False,
                      accessor=lambda r: r["remote_ip_prefix"] or (f"group {r['remote_group_id'][:8]}"
                                                                   if r["remote_group_id"] else "Any")),
        tables.Column("description", sortable=False),
    ]
    empty_message = "No rules: nothing is allowed."
    row_actions = [tables.DeleteAction(security_groups.delete_rule, "rule")]
    batch_actions = [tables.DeleteAction(security_groups.delete_rule, "rule")]

    def __init__(self, request, data, group_id=None):
        super().__init__(request, data)
        if group_id:
            url = reverse("dashboard:project:security_groups:add_rule", args=[group_id])
            self.table_actions = [tables.ModalAction("add_rule", "Add Rule", icon="bi-plus-lg",
                                                     classes="btn-primary", url=url)]
