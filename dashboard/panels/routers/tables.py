from django.urls import reverse

from dashboard import tables
from network.services import routers


def detail_url(row):
    return reverse("dashboard:project:routers:detail", args=[row["id"]])


class ClearGateway(tables.PostAction):
    def __init__(self):
        super().__init__("clear_gateway", "Clear Gateway", icon="bi-x-circle",
                         confirm="Clear the router's external gateway?",
                         allowed=lambda request, row: row is None or bool(row["external_gateway_info"]))
        self.success = "Cleared the gateway of {count} router(s)."
        self.failure = "Unable to clear the gateway of router {name}: {error}"

    def handle(self, request, object_id):
        routers.update_router(request.ctx, object_id, {"external_gateway_info": {}})


class RoutersTable(tables.Table):
    name = "routers"
    columns = [
        tables.Column("name", link=detail_url),
        tables.Column("status"),
        tables.Column("external_network", label="External Network"),
        tables.Column("gateway_ips", label="Gateway IP", sortable=False),
        tables.BooleanColumn("admin_state_up", label="Admin State"),
    ]
    filter_fields = ["name", "external_network"]
    default_sort = "name"
    empty_message = "No routers."
    table_actions = [tables.ModalAction("create", "Create Router", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:project:routers:create")]
    row_actions = [
        tables.ModalAction("set_gateway", "Set Gateway", icon="bi-globe",
                           url=lambda row: reverse("dashboard:project:routers:set_gateway", args=[row["id"]])),
        ClearGateway(),
        tables.DeleteAction(routers.delete_router, "router"),
    ]
    batch_actions = [tables.DeleteAction(routers.delete_router, "router")]


class RemoveInterface(tables.PostAction):
    def __init__(self, router_id=None):
        super().__init__("remove_interface", "Remove Interface", icon="bi-x-lg",
                         confirm="Remove this interface from the router?")
        self.router_id = router_id
        self.success = "Removed {count} interface(s)."
        self.failure = "Unable to remove interface {name}: {error}"

    def handle(self, request, object_id):
        routers.remove_interface(request.ctx, self.router_id, {"port_id": object_id})


class InterfacesTable(tables.Table):
    name = "interfaces"
    verbose_name = "Interfaces"
    columns = [
        tables.Column("port_id", label="Port", classes="font-monospace small"),
        tables.Column("network_name", label="Network"),
        tables.Column("ips", label="Fixed IPs", sortable=False),
        tables.Column("kind", label="Type"),
        tables.Column("status"),
    ]
    row_id_field = "port_id"
    empty_message = "No interfaces."

    def __init__(self, request, data, router_id=None):
        super().__init__(request, data)
        self.row_actions = [RemoveInterface(router_id)]
        if router_id:
            url = reverse("dashboard:project:routers:add_interface", args=[router_id])
            self.table_actions = [tables.ModalAction("add_interface", "Add Interface", icon="bi-plus-lg",
                                                     classes="btn-primary", url=url)]
        self.row_actions[0]._allowed = lambda request, row: row is None or row["kind"] == "Internal Interface"
