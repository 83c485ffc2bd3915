"""Admin: the back ends' pools with their reported capacity and what the scheduler has claimed, and the
block storage services with their heartbeats."""

from dashboard import tables
from dashboard.views.base import TableView
from storage.volumes.services import backends as backend_services


def _gb(value):
    return f"{value:,.1f} GiB"


class PoolsTable(tables.Table):
    name = "pools"
    verbose_name = "Pools"
    columns = [
        tables.Column("name", label="Pool (host@backend#pool)"),
        tables.Column("driver"),
        tables.Column("availability_zone", label="Zone"),
        tables.Column("total_capacity_gb", label="Total", display=_gb),
        tables.Column("free_capacity_gb", label="Free", display=_gb),
        tables.Column("allocated_capacity_gb", label="Allocated", display=_gb),
        tables.Column("max_over_subscription_ratio", label="Over-subscription"),
        tables.Column("updated_at", label="Last report"),
    ]
    filter_fields = ["name"]
    default_sort = "name"
    empty_message = "No back end has reported yet."


class ServicesTable(tables.Table):
    name = "volume_services"
    prefix = "services-"
    verbose_name = "Block Storage Services"
    columns = [tables.Column("binary"), tables.Column("host"), tables.Column("availability_zone", label="Zone"),
               tables.StatusColumn("state", label="State", accessor=lambda row: "up" if backend_services.is_up(row)
                                   else "down"),
               tables.BooleanColumn("disabled"), tables.Column("updated_at", label="Last heartbeat")]
    default_sort = "binary"
    empty_message = "No services."


class IndexView(TableView):
    table_class = PoolsTable
    page_title = "Storage Back Ends"
    template_name = "dashboard/volumes/pools.html"

    def get_data(self):
        return backend_services.list_pools(self.request.ctx)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["services_table"] = ServicesTable(self.request, backend_services.list_services(self.request.ctx))
        return context
