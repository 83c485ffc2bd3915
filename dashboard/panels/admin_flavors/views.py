"""Admin: flavors (public and private), create and delete."""

from django import forms

from compute import services
from dashboard import tables
from dashboard.forms import DashboardForm
from dashboard.views.base import ModalFormView, TableView


class FlavorsTable(tables.Table):
    name = "flavors"
    columns = [tables.Column("name"), tables.Column("vcpus", label="vCPUs"),
               tables.Column("memory_mb", label="RAM (MB)"), tables.Column("root_gb", label="Root Disk (GB)"),
               tables.Column("ephemeral_gb", label="Ephemeral (GB)"), tables.Column("flavorid", label="ID"),
               tables.BooleanColumn("is_public", label="Public")]
    filter_fields = ["name"]
    default_sort = "memory_mb"
    row_id_field = "flavorid"
    table_actions = [tables.ModalAction("create", "Create Flavor", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:admin:flavors:create")]
    row_actions = [tables.DeleteAction(services.delete_flavor, "flavor")]
    batch_actions = [tables.DeleteAction(services.delete_flavor, "flavor")]


class IndexView(TableView):
    table_class = FlavorsTable
    page_title = "Flavors"

    def get_data(self):
        return services.visible_flavors(self.request.ctx, None).filter(disabled=False)


class CreateForm(DashboardForm):
    name = forms.CharField(max_length=255)
    flavorid = forms.CharField(max_length=255, required=False, label="ID", help_text="Empty: a generated UUID.")
    vcpus = forms.IntegerField(min_value=1, label="vCPUs")
    ram = forms.IntegerField(min_value=1, label="RAM (MB)")
    disk = forms.IntegerField(min_value=0, label="Root Disk (GB)")
    ephemeral = forms.IntegerField(min_value=0, initial=0, label="Ephemeral Disk (GB)")
    swap = forms.IntegerField(min_value=0, initial=0, label="Swap (MB)")
    is_public = forms.BooleanField(required=False, initial=True, label="Public")


class CreateView(ModalFormView):
    form_class = CreateForm
    page_title = "Create Flavor"
    submit_label = "Create Flavor"
    success_message = 'Flavor "{name}" created.'

    def perform(self, form):
        data = form.cleaned_data
        services.create_flavor(self.request.ctx, data["name"], data["ram"], data["vcpus"], data["disk"],
                               flavorid=data["flavorid"] or None, swap=data["swap"], ephemeral=data["ephemeral"],
                               is_public=data["is_public"])
