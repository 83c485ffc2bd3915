"""Volume snapshots: list, make a volume from one, delete."""

from django.urls import reverse

from dashboard import tables
from dashboard.views.base import TableView
from storage.volumes.services import snapshots as snapshot_services


class SnapshotsTable(tables.Table):
    name = "snapshots"
    columns = [
        tables.Column("name", display=lambda v: v or "—"),
        tables.Column("description", sortable=False),
        tables.Column("size", display=lambda v: f"{v} GiB"),
        tables.StatusColumn("status", final=("available", "error", "error_deleting")),
        tables.Column("volume", label="Volume", accessor=lambda row: row.volume.name or row.volume_id,
                      sortable=False),
        tables.Column("created_at", label="Created"),
    ]
    filter_fields = ["name", "status"]
    default_sort = "-created_at"
    empty_message = "No volume snapshots."
    row_actions = [
        tables.ModalAction("create_volume", "Create Volume", icon="bi-hdd",
                           allowed=lambda request, row: row is None or row.status == "available",
                           url=lambda row: reverse("dashboard:project:volumes:create") + f"?snapshot={row.id}"),
        tables.DeleteAction(snapshot_services.delete_snapshot, "snapshot"),
    ]
    batch_actions = [tables.DeleteAction(snapshot_services.delete_snapshot, "snapshot")]


class IndexView(TableView):
    table_class = SnapshotsTable
    page_title = "Volume Snapshots"

    def get_data(self):
        rows, _ = snapshot_services.list_snapshots(self.request.ctx, {})
        return rows

    def get_row(self, row_id):
        return snapshot_services.get_snapshot(self.request.ctx, row_id)
