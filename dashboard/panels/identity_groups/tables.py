from django.urls import reverse

from dashboard import tables
from identity.services import groups


def detail_url(row):
    return reverse("dashboard:identity:groups:detail", args=[row.id])


class GroupsTable(tables.Table):
    name = "groups"
    columns = [
        tables.Column("name", link=detail_url),
        tables.Column("description", sortable=False),
        tables.Column("id", label="Group ID", sortable=False, classes="font-monospace small"),
        tables.Column("domain_name", label="Domain", sortable=False),
    ]
    filter_fields = ["name", "description", "id"]
    default_sort = "name"
    empty_message = "No groups."
    table_actions = [tables.ModalAction("create", "Create Group", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:identity:groups:create")]
    row_actions = [
        tables.ModalAction("edit", "Edit Group", icon="bi-pencil",
                           url=lambda row: reverse("dashboard:identity:groups:edit", args=[row.id])),
        tables.LinkAction("members", "Manage Members", url=detail_url, icon="bi-people"),
        tables.DeleteAction(groups.delete_group, "group"),
    ]
    batch_actions = [tables.DeleteAction(groups.delete_group, "group")]


class RemoveMember(tables.PostAction):
    def __init__(self, group_id=None):
        super().__init__("remove", "Remove From Group", icon="bi-person-dash",
                         confirm="Remove the selected user(s) from the group?")
        self.group_id = group_id
        self.success = "Removed {count} user(s) from the group."
        self.failure = "Unable to remove {name}: {error}"

    def handle(self, request, object_id):
        groups.remove_user_from_group(request.ctx, self.group_id, object_id)


class GroupMembersTable(tables.Table):
    name = "group-members"
    verbose_name = "Group Members"
    columns = [
        tables.Column("name", label="User Name",
                      link=lambda row: reverse("dashboard:identity:users:detail", args=[row.id])),
        tables.Column("email"),
        tables.BooleanColumn("enabled"),
    ]
    filter_fields = ["name", "email"]
    empty_message = "This group has no members."

    def __init__(self, request, data, group_id):
        remove = RemoveMember(group_id)
        self.row_actions = [remove]
        self.batch_actions = [remove]
        self.table_actions = [tables.ModalAction(
            "add_member", "Add Users", icon="bi-person-plus", classes="btn-primary",
            url=reverse("dashboard:identity:groups:add_member", args=[group_id]))]
        super().__init__(request, data)


class GroupRolesTable(tables.Table):
    """The group's role assignments on projects (its members hold these roles there)."""

    name = "group-roles"
    verbose_name = "Role Assignments"
    prefix = "roles-"
    columns = [tables.Column("project"), tables.Column("role")]
    empty_message = "This group has no role on any project."

    def __init__(self, request, data, group_id):
        from dashboard.panels.identity_projects.tables import RevokeAssignment

        self.row_actions = [RevokeAssignment()]
        self.table_actions = [tables.ModalAction(
            "add_role", "Add Role Assignment", icon="bi-plus-lg", classes="btn-primary",
            url=reverse("dashboard:identity:groups:add_role", args=[group_id]))]
        super().__init__(request, data)
