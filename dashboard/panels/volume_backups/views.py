"""Volume backups: list, restore to a new or an existing volume, delete."""

from django import forms
from django.urls import reverse

from dashboard import tables
from dashboard.forms import DashboardForm
from dashboard.views.base import ModalFormView, TableView
from storage.volumes.services import backups as backup_services
from storage.volumes.services import volumes as volume_services


class BackupsTable(tables.Table):
    name = "backups"
    columns = [
        tables.Column("name", display=lambda v: v or "—"),
        tables.Column("description", sortable=False),
        tables.Column("size", display=lambda v: f"{v} GiB"),
        tables.StatusColumn("status", final=("available", "error")),
        tables.BooleanColumn("is_incremental", label="Incremental"),
        tables.Column("object_count", label="Objects written"),
        tables.Column("volume_id", label="Volume", sortable=False),
        tables.Column("container", sortable=False),
        tables.Column("created_at", label="Created"),
    ]
    filter_fields = ["name", "status"]
    default_sort = "-created_at"
    empty_message = "No volume backups."
    row_actions = [
        tables.ModalAction("restore", "Restore Backup", icon="bi-arrow-counterclockwise",
                           allowed=lambda request, row: row is None or row.status == "available",
                           url=lambda row: reverse("dashboard:project:backups:restore", args=[row.id])),
        tables.DeleteAction(backup_services.delete_backup, "backup"),
    ]
    batch_actions = [tables.DeleteAction(backup_services.delete_backup, "backup")]


class IndexView(TableView):
    table_class = BackupsTable
    page_title = "Volume Backups"

    def get_data(self):
        rows, _ = backup_services.list_backups(self.request.ctx, {})
        return rows

    def get_row(self, row_id):
        return backup_services.get_backup(self.request.ctx, row_id)


class RestoreForm(DashboardForm):
    volume = forms.ChoiceField(label="Restore to", required=False)
    name = forms.CharField(max_length=255, required=False, label="New volume name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volume"].choices = [("", "Create a new volume")] + [
            (v.id, v.name or v.id) for v in volume_services.list_volumes(self.ctx, {})[0] if v.status == "available"]


class RestoreView(ModalFormView):
    form_class = RestoreForm
    page_title = "Restore Volume Backup"
    submit_label = "Restore"
    success_message = "Restore requested."

    def perform(self, form):
        data = form.cleaned_data
        backup_services.restore_backup(self.request.ctx, self.kwargs["backup_id"], data["volume"] or None,
                                       data["name"] or None)
