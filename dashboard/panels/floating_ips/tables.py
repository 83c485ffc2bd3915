from django.urls import reverse

from dashboard import tables
from network.services import routers


class Disassociate(tables.PostAction):
    def __init__(self):
        super().__init__("disassociate", "Disassociate", icon="bi-x-circle", confirm="Disassociate this floating IP?",
                         allowed=lambda request, row: row is None or bool(row["port_id"]))
        self.success = "Disassociated {count} floating IP(s)."
        self.failure = "Unable to disassociate {name}: {error}"

    def handle(self, request, object_id):
        routers.update_floating_ip(request.ctx, object_id, {"port_id": None})


class FloatingIPsTable(tables.Table):
    name = "floating_ips"
    name_field = "floating_ip_address"
    columns = [
        tables.Column("floating_ip_address", label="IP Address"),
        tables.Column("fixed_ip_address", label="Mapped Fixed IP Address"),
        tables.Column("port_id", label="Port", classes="font-monospace small"),
        tables.Column("pool", label="Pool"),
        tables.Column("status"),
    ]
    filter_fields = ["floating_ip_address", "fixed_ip_address", "pool"]
    default_sort = "floating_ip_address"
    empty_message = "No floating IPs."
    table_actions = [tables.ModalAction("allocate", "Allocate IP To Project", icon="bi-plus-lg",
                                        classes="btn-primary", url="dashboard:project:floating_ips:allocate")]
    row_actions = [
        tables.ModalAction("associate", "Associate", icon="bi-link",
                           url=lambda row: reverse("dashboard:project:floating_ips:associate", args=[row["id"]]),
                           allowed=lambda request, row: row is None or not row["port_id"]),
        Disassociate(),
        tables.DeleteAction(routers.delete_floating_ip, "floating IP", label="Release Floating IP"),
    ]
    batch_actions = [tables.DeleteAction(routers.delete_floating_ip, "floating IP", label="Release Floating IPs")]
