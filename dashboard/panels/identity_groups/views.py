from django.db import transaction
from django.urls import reverse

from dashboard.panels._identity import assignment_rows, domain_names
from dashboard.panels.identity_groups import forms, tables
from dashboard.views.base import ModalFormView, PanelView, TableView, run_table_action
from dashboard.panels.identity_users.forms import AddRoleForm
from identity.services import assignments, groups


class IndexView(TableView):
    table_class = tables.GroupsTable
    page_title = "Groups"

    def get_data(self):
        names = domain_names(self.request.ctx)
        rows = groups.list_groups(self.request.ctx)
        for row in rows:
            row.domain_name = names.get(row.domain_id, row.domain_id)
        return rows


class CreateView(ModalFormView):
    form_class = forms.CreateGroupForm
    page_title = "Create Group"
    submit_label = "Create Group"
    success_message = 'Group "{name}" created.'

    def perform(self, form):
        groups.create_group(self.request.ctx, **form.cleaned_data)


class EditView(ModalFormView):
    form_class = forms.GroupForm
    page_title = "Edit Group"
    submit_label = "Save"
    success_message = 'Group "{name}" updated.'

    def get_initial(self):
        group = groups.get_group(self.request.ctx, self.kwargs["group_id"])
        return {"name": group.name, "description": group.description}

    def perform(self, form):
        groups.update_group(self.request.ctx, self.kwargs["group_id"], **form.cleaned_data)


class DetailView(PanelView):
    template_name = "dashboard/identity/group_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.group = groups.get_group(request.ctx, kwargs["group_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Group: {self.group.name}"

    def get_breadcrumbs(self):
        return [(self.group.name, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["group"] = self.group
        context["domain_name"] = domain_names(self.request.ctx).get(self.group.domain_id, self.group.domain_id)
        members = groups.list_users_in_group(self.request.ctx, self.group.id)
        context["table"] = tables.GroupMembersTable(self.request, members, self.group.id)
        context["roles_table"] = tables.GroupRolesTable(
            self.request, assignment_rows(self.request.ctx, group_id=self.group.id), self.group.id)
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action", "").startswith("row:revoke:"):
            return run_table_action(request, tables.GroupRolesTable(request, [], self.group.id))
        return run_table_action(request, tables.GroupMembersTable(request, [], self.group.id))


class AddMemberView(ModalFormView):
    form_class = forms.AddMembersForm
    page_title = "Add Users to Group"
    submit_label = "Add"
    success_message = "Users added to the group."

    def perform(self, form):
        with transaction.atomic():
            for user_id in form.cleaned_data["user_ids"]:
                groups.add_user_to_group(self.request.ctx, self.kwargs["group_id"], user_id)

    def get_success_url(self):
        return None if self.request.htmx else reverse("dashboard:identity:groups:detail",
                                                      args=[self.kwargs["group_id"]])


class AddRoleView(ModalFormView):
    form_class = AddRoleForm
    page_title = "Add Role Assignment"
    submit_label = "Add"
    success_message = "Role assignment added."

    def perform(self, form):
        assignments.grant_role(self.request.ctx, form.cleaned_data["role_id"], group_id=self.kwargs["group_id"],
                               project_id=form.cleaned_data["project_id"])

    def get_success_url(self):
        return None if self.request.htmx else reverse("dashboard:identity:groups:detail",
                                                      args=[self.kwargs["group_id"]])
