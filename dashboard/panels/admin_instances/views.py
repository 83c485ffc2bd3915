"""Admin: every project's instances, with the host they run on."""

from django.urls import reverse

from dashboard import tables
from dashboard.panels.instances import tables as project_tables
from dashboard.panels.instances.views import IndexView as ProjectIndexView


class AllInstancesTable(project_tables.InstancesTable):
    columns = [
        tables.Column("project_id", label="Project", sortable=False),
        tables.Column("host"),
        *project_tables.InstancesTable.columns,
    ]
    columns[2] = tables.Column("name", link=lambda row: reverse("dashboard:project:instances:detail", args=[row.id]))
    table_actions = []
    row_actions = [a for a in project_tables.ROW_ACTIONS if a.name in ("stop", "start", "reboot_hard", "delete")]
    batch_actions = [a for a in project_tables.InstancesTable.batch_actions if a.name in ("stop", "delete")]


class IndexView(ProjectIndexView):
    table_class = AllInstancesTable
    page_title = "All Instances"
    all_projects = True
