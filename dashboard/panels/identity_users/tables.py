from django.urls import reverse

from dashboard import tables
from dashboard.panels.identity_projects.tables import RevokeAssignment
from identity.services import users


def detail_url(row):
    return reverse("dashboard:identity:users:detail", args=[row.id])


class ToggleEnabled(tables.PostAction):
    """Enable or disable users (disabling revokes their tokens, in the service)."""

    def __init__(self, enable):
        name, label = ("enable", "Enable User") if enable else ("disable", "Disable User")
        super().__init__(name, label, classes="btn-outline-secondary" if enable else "btn-outline-warning",
                         icon="bi-toggle-on" if enable else "bi-toggle-off",
                         allowed=lambda request, row: row is None or bool(row.enabled) != enable)
        self.enable = enable
        self.success = f"{'Enabled' if enable else 'Disabled'} {{count}} user(s)."
        self.failure = f"Unable to {name} user {{name}}: {{error}}"

    def handle(self, request, object_id):
        users.update_user(request.ctx, object_id, enabled=self.enable)


class UsersTable(tables.Table):
    name = "users"
    columns = [
        tables.Column("name", label="User Name", link=detail_url),
        tables.Column("description", sortable=False),
        tables.Column("email"),
        tables.Column("id", label="User ID", sortable=False, classes="font-monospace small"),
        tables.Column("domain_name", label="Domain", sortable=False),
        tables.BooleanColumn("enabled"),
    ]
    filter_fields = ["name", "email", "id", "description"]
    default_sort = "name"
    empty_message = "No users."
    table_actions = [tables.ModalAction("create", "Create User", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:identity:users:create")]
    row_actions = [
        tables.ModalAction("edit", "Edit", icon="bi-pencil",
                           url=lambda row: reverse("dashboard:identity:users:edit", args=[row.id])),
        tables.ModalAction("password", "Change Password", icon="bi-key",
                           url=lambda row: reverse("dashboard:identity:users:password", args=[row.id])),
        ToggleEnabled(False),
        ToggleEnabled(True),
        tables.DeleteAction(users.delete_user, "user",
                            allowed=lambda request, row: row is None or row.id != request.ctx.user_id),
    ]
    batch_actions = [tables.DeleteAction(users.delete_user, "user")]


class UserRolesTable(tables.Table):
    name = "user-roles"
    verbose_name = "Role Assignments"
    columns = [tables.Column("project"), tables.Column("role")]
    empty_message = "This user has no role on any project."
    row_actions = [RevokeAssignment()]
    batch_actions = [RevokeAssignment()]

    def __init__(self, request, data, user_id=None):
        super().__init__(request, data)
        if user_id:
            url = reverse("dashboard:identity:users:add_role", args=[user_id])
            self.table_actions = [tables.ModalAction("add_role", "Add Role Assignment", icon="bi-plus-lg",
                                                     classes="btn-primary", url=url)]
