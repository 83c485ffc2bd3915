from django.db import transaction
from django.urls import reverse

from dashboard.panels._identity import assignment_rows, domain_names
from dashboard.panels.identity_users import forms, tables
from dashboard.views.base import ModalFormView, PanelView, TableView, run_table_action
from identity.services import assignments, users


class IndexView(TableView):
    table_class = tables.UsersTable
    page_title = "Users"

    def get_data(self):
        names = domain_names(self.request.ctx)
        rows = users.list_users(self.request.ctx)
        for row in rows:
            row.domain_name = names.get(row.domain_id, row.domain_id)
        return rows


class CreateView(ModalFormView):
    form_class = forms.CreateUserForm
    page_title = "Create User"
    submit_label = "Create User"
    success_message = 'User "{name}" created.'

    def perform(self, form):
        data = dict(form.cleaned_data)
        role_id = data.pop("role_id")
        data.pop("confirm_password")
        data["default_project_id"] = data["default_project_id"] or None
        # One transaction: a failed grant leaves no half-made user behind.
        with transaction.atomic():
            user = users.create_user(self.request.ctx, **data)
            if data["default_project_id"] and role_id:
                assignments.grant_role(self.request.ctx, role_id, user_id=user.id,
                                       project_id=data["default_project_id"])


class EditView(ModalFormView):
    form_class = forms.EditUserForm
    page_title = "Edit User"
    submit_label = "Save"
    success_message = 'User "{name}" updated.'

    def get_initial(self):
        user = users.get_user(self.request.ctx, self.kwargs["user_id"])
        return {"name": user.name, "description": user.description, "email": user.email,
                "default_project_id": user.default_project_id or "", "enabled": user.enabled}

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["default_project_id"] = data["default_project_id"] or None
        users.update_user(self.request.ctx, self.kwargs["user_id"], **data)


class SetPasswordView(ModalFormView):
    form_class = forms.PasswordPair
    page_title = "Change Password"
    submit_label = "Save"
    success_message = "Password changed."

    def perform(self, form):
        users.update_user(self.request.ctx, self.kwargs["user_id"], password=form.cleaned_data["password"])


class DetailView(PanelView):
    template_name = "dashboard/identity/user_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.user = users.get_user(request.ctx, kwargs["user_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"User: {self.user.name}"

    def get_breadcrumbs(self):
        return [(self.user.name, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ctx = self.request.ctx
        context["user_obj"] = self.user
        context["domain_name"] = domain_names(ctx).get(self.user.domain_id, self.user.domain_id)
        context["groups"] = users.list_user_groups(ctx, self.user.id)
        context["table"] = tables.UserRolesTable(self.request, assignment_rows(ctx, user_id=self.user.id),
                                                 user_id=self.user.id)
        return context

    def post(self, request, *args, **kwargs):
        return run_table_action(request, tables.UserRolesTable(request, []))


class AddRoleView(ModalFormView):
    form_class = forms.AddRoleForm
    page_title = "Add Role Assignment"
    submit_label = "Add"
    success_message = "Role assignment added."

    def perform(self, form):
        assignments.grant_role(self.request.ctx, form.cleaned_data["role_id"], user_id=self.kwargs["user_id"],
                               project_id=form.cleaned_data["project_id"])

    def get_success_url(self):
        return None if self.request.htmx else reverse("dashboard:identity:users:detail", args=[self.kwargs["user_id"]])
