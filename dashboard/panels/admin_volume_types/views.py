"""Admin: volume types and their extra specs (which steer volumes to back ends)."""

from django import forms
from django.urls import reverse

from dashboard import tables
from dashboard.forms import DashboardForm
from dashboard.views.base import ModalFormView, TableView
from storage.volumes.services import types as type_services


def _specs(row):
    return ", ".join(f"{k}={v}" for k, v in sorted(row.extra_specs.items())) or "—"


class TypesTable(tables.Table):
    name = "volume_types"
    columns = [tables.Column("name"), tables.Column("description", sortable=False),
               tables.Column("extra_specs", label="Extra Specs", accessor=_specs, sortable=False),
               tables.BooleanColumn("is_public", label="Public")]
    filter_fields = ["name"]
    default_sort = "name"
    empty_message = "No volume types."
    table_actions = [tables.ModalAction("create", "Create Volume Type", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:admin:volume_types:create")]
    row_actions = [tables.ModalAction("extra_specs", "Edit Extra Specs", icon="bi-pencil",
                                      url=lambda row: reverse("dashboard:admin:volume_types:extra_specs",
                                                              args=[row.id])),
                   tables.DeleteAction(type_services.delete_type, "volume type")]
    batch_actions = [tables.DeleteAction(type_services.delete_type, "volume type")]


class IndexView(TableView):
    table_class = TypesTable
    page_title = "Volume Types"

    def get_data(self):
        return type_services.list_types(self.request.ctx)


def parse_specs(text):
    specs = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise forms.ValidationError(f"Not key=value: {line!r}")
        specs[key.strip()] = value.strip()
    return specs


class TypeForm(DashboardForm):
    name = forms.CharField(max_length=255)
    description = forms.CharField(max_length=255, required=False)
    is_public = forms.BooleanField(required=False, initial=True, label="Public")
    extra_specs = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="One key=value a line, e.g. volume_backend_name=file")

    def clean_extra_specs(self):
        return parse_specs(self.cleaned_data["extra_specs"])


class CreateView(ModalFormView):
    form_class = TypeForm
    page_title = "Create Volume Type"
    submit_label = "Create Volume Type"
    success_message = 'Volume type "{name}" created.'

    def perform(self, form):
        data = form.cleaned_data
        type_services.create_type(self.request.ctx, data["name"], data["description"] or None, data["is_public"],
                                  data["extra_specs"])


class SpecsForm(DashboardForm):
    extra_specs = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text="One key=value a line; a key left out is removed.")

    def clean_extra_specs(self):
        return parse_specs(self.cleaned_data["extra_specs"])


class ExtraSpecsView(ModalFormView):
    form_class = SpecsForm
    page_title = "Edit Extra Specs"
    submit_label = "Save"
    success_message = "Extra specs saved."

    def get_initial(self):
        specs = type_services.get_extra_specs(self.request.ctx, self.kwargs["type_id"])
        return {"extra_specs": "\n".join(f"{k}={v}" for k, v in sorted(specs.items()))}

    def perform(self, form):
        ctx, type_id = self.request.ctx, self.kwargs["type_id"]
        wanted = form.cleaned_data["extra_specs"]
        for key in set(type_services.get_extra_specs(ctx, type_id)) - set(wanted):
            type_services.delete_extra_spec(ctx, type_id, key)
        if wanted:
            type_services.set_extra_specs(ctx, type_id, wanted)
