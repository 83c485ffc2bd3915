from django import forms
from django.db import transaction
from django.urls import reverse

from dashboard import tables
from dashboard.forms import DashboardForm
from dashboard.views.base import ModalFormView, TableView
from identity.services import roles


class RolesTable(tables.Table):
    name = "roles"
    columns = [
        tables.Column("name", label="Role Name"),
        tables.Column("description", sortable=False),
        tables.Column("id", label="Role ID", sortable=False, classes="font-monospace small"),
        tables.Column("implies_names", label="Implies", sortable=False),
    ]
    filter_fields = ["name", "description", "id"]
    default_sort = "name"
    empty_message = "No roles."
    table_actions = [tables.ModalAction("create", "Create Role", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:identity:roles:create")]
    row_actions = [
        tables.ModalAction("edit", "Edit Role", icon="bi-pencil",
                           url=lambda row: reverse("dashboard:identity:roles:edit", args=[row.id])),
        tables.ModalAction("implies", "Edit Implied Roles", icon="bi-diagram-2",
                           url=lambda row: reverse("dashboard:identity:roles:implies", args=[row.id])),
        tables.DeleteAction(roles.delete_role, "role"),
    ]
    batch_actions = [tables.DeleteAction(roles.delete_role, "role")]


class RoleForm(DashboardForm):
    name = forms.CharField(label="Role Name", max_length=255)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class IndexView(TableView):
    table_class = RolesTable
    page_title = "Roles"

    def get_data(self):
        ctx = self.request.ctx
        rows = roles.list_roles(ctx)
        implied = {}
        for prior, implies in roles.list_role_inferences(ctx):
            implied[prior.id] = [role.name for role in implies]
        for row in rows:
            row.implies_names = ", ".join(implied.get(row.id, []))
        return rows


class CreateView(ModalFormView):
    form_class = RoleForm
    page_title = "Create Role"
    submit_label = "Create Role"
    success_message = 'Role "{name}" created.'

    def perform(self, form):
        roles.create_role(self.request.ctx, **form.cleaned_data)


class EditView(ModalFormView):
    form_class = RoleForm
    page_title = "Edit Role"
    submit_label = "Save"
    success_message = 'Role "{name}" updated.'

    def get_initial(self):
        role = roles.get_role(self.request.ctx, self.kwargs["role_id"])
        return {"name": role.name, "description": role.description}

    def perform(self, form):
        roles.update_role(self.request.ctx, self.kwargs["role_id"], **form.cleaned_data)


class ImpliedRolesForm(DashboardForm):
    implies = forms.MultipleChoiceField(required=False, label="Implied roles",
                                        widget=forms.SelectMultiple(attrs={"size": 8}),
                                        help_text="Whoever holds this role also holds these.")

    def __init__(self, *args, role_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["implies"].choices = [(r.id, r.name) for r in roles.list_roles(self.ctx) if r.id != role_id]


class ImpliesView(ModalFormView):
    form_class = ImpliedRolesForm
    submit_label = "Save"

    def dispatch(self, request, *args, **kwargs):
        self.role = roles.get_role(request.ctx, kwargs["role_id"])
        self.current = {r.id for r in roles.list_implied_roles(request.ctx, self.role.id)[1]}
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Roles implied by {self.role.name}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "role_id": self.role.id}

    def get_initial(self):
        return {"implies": sorted(self.current)}

    def perform(self, form):
        wanted = set(form.cleaned_data["implies"])
        with transaction.atomic():
            for implied_id in sorted(wanted - self.current):
                roles.create_implied_role(self.request.ctx, self.role.id, implied_id)
            for implied_id in sorted(self.current - wanted):
                roles.delete_implied_role(self.request.ctx, self.role.id, implied_id)
        self.success_message = f'Implied roles of "{self.role.name}" saved.'
