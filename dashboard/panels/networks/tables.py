from django.urls import reverse

from dashboard import tables
from network.services import networks, ports


def detail_url(row):
    return reverse("dashboard:project:networks:detail", args=[row["id"]])


def _owned(request, row):
    return row is None or row.get("owned", True)


class NetworksTable(tables.Table):
    name = "networks"
    columns = [
        tables.Column("name", link=detail_url),
        tables.Column("subnet_text", label="Subnets", sortable=False),
        tables.BooleanColumn("shared"),
        tables.BooleanColumn("router:external", label="External"),
        tables.Column("status"),
        tables.BooleanColumn("admin_state_up", label="Admin State"),
    ]
    filter_fields = ["name", "subnet_text"]
    default_sort = "name"
    empty_message = "No networks."
    table_actions = [tables.ModalAction("create", "Create Network", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:project:networks:create")]
    row_actions = [tables.DeleteAction(networks.delete_network, "network", allowed=_owned)]
    batch_actions = [tables.DeleteAction(networks.delete_network, "network")]


class SubnetsTable(tables.Table):
    name = "subnets"
    verbose_name = "Subnets"
    columns = [
        tables.Column("name"),
        tables.Column("cidr", label="Network Address"),
        tables.Column("ip_version", label="IP Version"),
        tables.Column("gateway_ip", label="Gateway IP"),
        tables.Column("pools", label="Allocation Pools", sortable=False,
                      accessor=lambda r: ", ".join(f"{p['start']}-{p['end']}" for p in r["allocation_pools"])),
        tables.BooleanColumn("enable_dhcp", label="DHCP"),
    ]
    empty_message = "No subnets."
    row_actions = [tables.DeleteAction(networks.delete_subnet, "subnet", name="delete_subnet")]

    def __init__(self, request, data, network_id=None):
        super().__init__(request, data)
        if network_id:
            url = reverse("dashboard:project:networks:create_subnet", args=[network_id])
            self.table_actions = [tables.ModalAction("create_subnet", "Create Subnet", icon="bi-plus-lg",
                                                     classes="btn-primary", url=url)]


class PortsTable(tables.Table):
    name = "ports"
    verbose_name = "Ports"
    columns = [
        tables.Column("name", accessor=lambda r: r["name"] or r["id"][:8]),
        tables.Column("ips", label="Fixed IPs", sortable=False,
                      accessor=lambda r: ", ".join(ip["ip_address"] for ip in r["fixed_ips"])),
        tables.Column("mac_address", label="MAC Address", classes="font-monospace small"),
        tables.Column("device_owner", label="Attached Device"),
        tables.Column("status"),
    ]
    empty_message = "No ports."
    row_actions = [tables.DeleteAction(ports.delete_port, "port", name="delete_port")]

    def __init__(self, request, data, network_id=None):
        super().__init__(request, data)
        if network_id:
            url = reverse("dashboard:project:networks:create_port", args=[network_id])
            self.table_actions = [tables.ModalAction("create_port", "Create Port", icon="bi-plus-lg",
                                                     classes="btn-primary", url=url)]
