"""Admin: host aggregates with their availability zone, hosts and metadata."""

from django import forms
from django.urls import reverse

from compute.services import hosts
from dashboard import tables
from dashboard.forms import DashboardForm
from dashboard.views.base import ModalFormView, TableView


def _delete(ctx, aggregate_id):
    hosts.delete_aggregate(ctx, aggregate_id)


class AggregatesTable(tables.Table):
    name = "aggregates"
    columns = [tables.Column("name"), tables.Column("availability_zone", label="Availability Zone"),
               tables.Column("hosts", display=lambda v: ", ".join(v), sortable=False),
               tables.Column("metadata", display=lambda v: ", ".join(f"{k}={x}" for k, x in v.items()),
                             sortable=False)]
    default_sort = "name"
    empty_message = "No host aggregates."
    table_actions = [tables.ModalAction("create", "Create Host Aggregate", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:admin:aggregates:create")]
    row_actions = [tables.ModalAction("hosts", "Manage Hosts", url=lambda row: reverse("dashboard:admin:aggregates:hosts", args=[row.id])),
                   tables.DeleteAction(_delete, "host aggregate")]


class IndexView(TableView):
    table_class = AggregatesTable
    page_title = "Host Aggregates"

    def get_data(self):
        return hosts.list_aggregates(self.request.ctx)


class CreateForm(DashboardForm):
    name = forms.CharField(max_length=255)
    availability_zone = forms.CharField(max_length=255, required=False)


class CreateView(ModalFormView):
    form_class = CreateForm
    page_title = "Create Host Aggregate"
    submit_label = "Create"
    success_message = 'Host aggregate "{name}" created.'

    def perform(self, form):
        hosts.create_aggregate(self.request.ctx, form.cleaned_data["name"],
                               form.cleaned_data["availability_zone"] or None)


class HostsForm(DashboardForm):
    hosts = forms.MultipleChoiceField(required=False, widget=forms.SelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hosts"].choices = [(s.host, s.host) for s in hosts.list_services(self.ctx)]


class HostsView(ModalFormView):
    form_class = HostsForm
    page_title = "Manage Hosts"
    submit_label = "Save"
    success_message = "Hosts updated."

    def get_initial(self):
        return {"hosts": hosts.get_aggregate(self.request.ctx, self.kwargs["aggregate_id"]).hosts}

    def perform(self, form):
        ctx, aggregate_id = self.request.ctx, self.kwargs["aggregate_id"]
        current = set(hosts.get_aggregate(ctx, aggregate_id).hosts)
        wanted = set(form.cleaned_data["hosts"])
        for host in sorted(wanted - current):
            hosts.add_aggregate_host(ctx, aggregate_id, host)
        for host in sorted(current - wanted):
            hosts.remove_aggregate_host(ctx, aggregate_id, host)
