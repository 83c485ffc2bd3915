"""A URLconf for the status-polling browser test: one table page over rows held in memory."""

from django.urls import include, path

from dashboard import tables
from dashboard.views.base import TableView

ROWS = [{"id": "vm1", "name": "vm1", "status": "BUILD"}, {"id": "vm2", "name": "vm2", "status": "ACTIVE"}]


class MachinesTable(tables.Table):
    name = "machines"
    columns = [tables.Column("name"), tables.StatusColumn("status", final=("ACTIVE", "ERROR"))]

    def poll_seconds(self):
        return 1


class MachinesView(TableView):
    table_class = MachinesTable
    page_title = "Machines"

    def get_data(self):
        return [dict(row) for row in ROWS]


# The frame's URLs too: the base template links to them.
urlpatterns = [path("machines/", MachinesView.as_view()), path("dashboard/", include("dashboard.urls"))]
