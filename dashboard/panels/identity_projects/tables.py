from django.urls import reverse

from dashboard import tables
from dashboard.panels._identity import revoke_assignment
from identity.services import projects


def detail_url(row):
    return reverse("dashboard:identity:projects:detail", args=[row.id])


def edit_url(row):
    return reverse("dashboard:identity:projects:edit", args=[row.id])


class ProjectsTable(tables.Table):
    name = "projects"
    columns = [
        tables.Column("name", link=detail_url),
        tables.Column("description", sortable=False),
        tables.Column("id", label="Project ID", sortable=False, classes="font-monospace small"),
        tables.Column("domain_name", label="Domain", sortable=False),
        tables.BooleanColumn("enabled"),
    ]
    filter_fields = ["name", "description", "id"]
    default_sort = "name"
    empty_message = "No projects."
    table_actions = [tables.ModalAction("create", "Create Project", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:identity:projects:create")]
    row_actions = [
        tables.ModalAction("edit", "Edit Project", url=edit_url, icon="bi-pencil"),
        tables.LinkAction("members", "Manage Members", url=detail_url, icon="bi-people"),
        tables.DeleteAction(projects.delete_project, "project"),
    ]
    batch_actions = [tables.DeleteAction(projects.delete_project, "project")]


class RevokeAssignment(tables.PostAction):
    def __init__(self):
        super().__init__("revoke", "Remove", icon="bi-x-lg", confirm="Remove this role assignment?")
        self.success = "Removed {count} role assignment(s)."
        self.failure = "Unable to remove the role assignment: {error}"

    def handle(self, request, object_id):
        revoke_assignment(request.ctx, object_id)


class ProjectMembersTable(tables.Table):
    """Role assignments on one project (users and groups); rows from _identity.assignment_rows."""

    name = "members"
    verbose_name = "Project Members"
    columns = [
        tables.Column("actor", label="User / Group"),
        tables.Column("actor_kind", label="Kind"),
        tables.Column("role"),
    ]
    filter_fields = ["actor", "role"]
    empty_message = "No one has a role on this project."
    row_actions = [RevokeAssignment()]
    batch_actions = [RevokeAssignment()]

    def __init__(self, request, data, project_id=None):
        super().__init__(request, data)
        if project_id:
            url = reverse("dashboard:identity:projects:add_member", args=[project_id])
            self.table_actions = [tables.ModalAction("add_member", "Add Role Assignment", icon="bi-person-plus",
                                                     classes="btn-primary", url=url)]
