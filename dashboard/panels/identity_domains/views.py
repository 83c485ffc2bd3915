"""Domains: list, create, edit, enable/disable, delete (Keystone deletes only disabled domains)."""

from django import forms
from django.urls import reverse

from dashboard import tables
from dashboard.forms import DashboardForm
from dashboard.views.base import ModalFormView, TableView
from identity.services import domains


class ToggleDomain(tables.PostAction):
    def __init__(self, enable):
        name, label = ("enable", "Enable Domain") if enable else ("disable", "Disable Domain")
        super().__init__(name, label, classes="btn-outline-secondary" if enable else "btn-outline-warning",
                         icon="bi-toggle-on" if enable else "bi-toggle-off",
                         confirm=None if enable else "Disabling a domain revokes the tokens of everyone in it.",
                         allowed=lambda request, row: row is None or bool(row.enabled) != enable)
        self.enable = enable
        self.success = f"{'Enabled' if enable else 'Disabled'} {{count}} domain(s)."
        self.failure = f"Unable to {name} domain {{name}}: {{error}}"

    def handle(self, request, object_id):
        domains.update_domain(request.ctx, object_id, enabled=self.enable)


class DomainsTable(tables.Table):
    name = "domains"
    columns = [
        tables.Column("name"),
        tables.Column("description", sortable=False),
        tables.Column("id", label="Domain ID", sortable=False, classes="font-monospace small"),
        tables.BooleanColumn("enabled"),
    ]
    filter_fields = ["name", "description", "id"]
    default_sort = "name"
    empty_message = "No domains."
    table_actions = [tables.ModalAction("create", "Create Domain", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:identity:domains:create")]
    row_actions = [
        tables.ModalAction("edit", "Edit", icon="bi-pencil",
                           url=lambda row: reverse("dashboard:identity:domains:edit", args=[row.id])),
        ToggleDomain(False),
        ToggleDomain(True),
        tables.DeleteAction(domains.delete_domain, "domain",
                            allowed=lambda request, row: row is None or not row.enabled,
                            confirm="Delete the domain with its projects, users and groups? This cannot be undone."),
    ]


class DomainForm(DashboardForm):
    name = forms.CharField(max_length=255)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    enabled = forms.BooleanField(required=False, initial=True)


class IndexView(TableView):
    table_class = DomainsTable
    page_title = "Domains"

    def get_data(self):
        return domains.list_domains(self.request.ctx)


class CreateView(ModalFormView):
    form_class = DomainForm
    page_title = "Create Domain"
    submit_label = "Create Domain"
    success_message = 'Domain "{name}" created.'

    def perform(self, form):
        domains.create_domain(self.request.ctx, **form.cleaned_data)


class EditView(ModalFormView):
    form_class = DomainForm
    page_title = "Edit Domain"
    submit_label = "Save"
    success_message = 'Domain "{name}" updated.'

    def get_initial(self):
        domain = domains.get_domain(self.request.ctx, self.kwargs["domain_id"])
        return {"name": domain.name, "description": domain.description, "enabled": domain.enabled}

    def perform(self, form):
        domains.update_domain(self.request.ctx, self.kwargs["domain_id"], **form.cleaned_data)
