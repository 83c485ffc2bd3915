"""Key pairs: list, create (the private key is shown once), import, delete."""

from django import forms
from django.template.response import TemplateResponse

from compute import services
from dashboard import tables
from dashboard.forms import DashboardForm
from dashboard.views.base import ModalFormView, TableView


def _delete(ctx, name):
    services.delete_keypair(ctx, name)


class KeyPairsTable(tables.Table):
    name = "keypairs"
    columns = [tables.Column("name"), tables.Column("type"), tables.Column("fingerprint", sortable=False)]
    filter_fields = ["name"]
    default_sort = "name"
    empty_message = "No key pairs."
    table_actions = [tables.ModalAction("create", "Create Key Pair", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:project:key_pairs:create"),
                     tables.ModalAction("import", "Import Public Key", icon="bi-upload",
                                        url="dashboard:project:key_pairs:import")]
    row_actions = [tables.DeleteAction(_delete, "key pair")]
    batch_actions = [tables.DeleteAction(_delete, "key pair")]
    row_id_field = "name"


class IndexView(TableView):
    table_class = KeyPairsTable
    page_title = "Key Pairs"

    def get_data(self):
        return services.list_keypairs(self.request.ctx)


class CreateForm(DashboardForm):
    name = forms.CharField(max_length=255, label="Key Pair Name")


class ImportForm(CreateForm):
    public_key = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Public Key")


class CreateView(ModalFormView):
    form_class = CreateForm
    page_title = "Create Key Pair"
    submit_label = "Create Key Pair"

    def perform(self, form):
        keypair, private = services.create_keypair(self.request.ctx, form.cleaned_data["name"])
        return TemplateResponse(self.request, "dashboard/compute/private_key.html",
                                {"keypair": keypair, "private_key": private})


class ImportView(ModalFormView):
    form_class = ImportForm
    page_title = "Import Public Key"
    submit_label = "Import"
    success_message = 'Key pair "{name}" imported.'

    def perform(self, form):
        services.create_keypair(self.request.ctx, form.cleaned_data["name"], form.cleaned_data["public_key"])
