"""Volumes: list, create from every source, extend, attach/detach, snapshot, backup, delete."""

from django import forms

from core import quotas
from dashboard.forms import DashboardForm
from dashboard.panels.volumes.tables import VolumesTable
from dashboard.views.base import ModalFormView, TableView
from storage.volumes.services import backups as backup_services
from storage.volumes.services import snapshots as snapshot_services
from storage.volumes.services import types as type_services
from storage.volumes.services import volumes as volume_services


class IndexView(TableView):
    table_class = VolumesTable
    page_title = "Volumes"

    def get_data(self):
        return volume_services.list_volumes(self.request.ctx, {})[0]

    def get_row(self, row_id):
        return volume_services.get_volume(self.request.ctx, row_id)


def overview_cards(request):
    used = quotas.usage(request.ctx.project_id, "volume")
    limits = quotas.limits(request.ctx.project_id, "volume")
    return [{"template": "dashboard/compute/quota_card.html", "title": title, "used": used[key],
             "limit": limits[key]} for key, title in (("volumes", "Volumes"), ("gigabytes", "Volume Storage (GiB)"),
                                                      ("snapshots", "Volume Snapshots"))]


SOURCES = [("none", "No source, empty volume"), ("image", "Image"), ("snapshot", "Snapshot"), ("volume", "Volume")]


class CreateForm(DashboardForm):
    name = forms.CharField(max_length=255, required=False)
    description = forms.CharField(max_length=255, required=False)
    source = forms.ChoiceField(choices=SOURCES, label="Volume Source", initial="none")
    image = forms.ChoiceField(required=False, label="Use image as a source")
    snapshot = forms.ChoiceField(required=False, label="Use snapshot as a source")
    source_volume = forms.ChoiceField(required=False, label="Use a volume as a source")
    volume_type = forms.ChoiceField(required=False, label="Type")
    size = forms.IntegerField(min_value=1, required=False, label="Size (GiB)", initial=1)
    bootable = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from storage.images.services.images import visible_images

        ctx = self.ctx
        self.fields["image"].choices = [("", "—")] + [
            (i.id, i.name or i.id) for i in visible_images(ctx).filter(status="active").order_by("name")]
        self.fields["snapshot"].choices = [("", "—")] + [
            (s.id, s.name or s.id) for s in snapshot_services.list_snapshots(ctx, {})[0] if s.status == "available"]
        self.fields["source_volume"].choices = [("", "—")] + [
            (v.id, v.name or v.id) for v in volume_services.list_volumes(ctx, {})[0]
            if v.status in ("available", "in-use")]
        self.fields["volume_type"].choices = [("", "Default")] + [
            (t.id, t.name) for t in type_services.list_types(ctx)]

    def clean(self):
        data = super().clean()
        source = data.get("source")
        field = {"image": "image", "snapshot": "snapshot", "volume": "source_volume"}.get(source)
        if field and not data.get(field):
            self.add_error(field, "Choose the source.")
        if source == "none" and not data.get("size"):
            self.add_error("size", "An empty volume needs a size.")
        return data


class CreateView(ModalFormView):
    form_class = CreateForm
    page_title = "Create Volume"
    submit_label = "Create Volume"
    success_message = 'Volume "{name}" is being created.'

    def get_initial(self):
        initial = super().get_initial()
        for key in ("snapshot", "image"):
            if self.request.GET.get(key):
                initial["source"], initial[key] = key, self.request.GET[key]
        return initial

    def perform(self, form):
        data = form.cleaned_data
        source = data["source"]
        volume_services.create_volume(
            self.request.ctx, size=data.get("size"), name=data["name"] or None,
            description=data["description"] or None, volume_type=data["volume_type"] or None,
            image_id=data["image"] if source == "image" else None,
            snapshot_id=data["snapshot"] if source == "snapshot" else None,
            source_volid=data["source_volume"] if source == "volume" else None,
            bootable=True if data["bootable"] else None)


class VolumeFormMixin:
    def dispatch(self, request, *args, **kwargs):
        self.volume = volume_services.get_volume(request.ctx, kwargs["volume_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.page_title}: {self.volume.name or self.volume.id}"


class ExtendForm(DashboardForm):
    new_size = forms.IntegerField(min_value=1, label="New Size (GiB)")


class ExtendView(VolumeFormMixin, ModalFormView):
    form_class = ExtendForm
    page_title = "Extend Volume"
    submit_label = "Extend Volume"
    success_message = "Volume extension to {new_size} GiB requested."

    def get_initial(self):
        return {"new_size": self.volume.size + 1}

    def perform(self, form):
        volume_services.extend_volume(self.request.ctx, self.volume.id, form.cleaned_data["new_size"])


class AttachForm(DashboardForm):
    server = forms.ChoiceField(label="Attach to Instance")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from compute.services.servers import list_servers

        servers = list_servers(self.ctx)[0]
        self.fields["server"].choices = [(s.id, f"{s.name} ({s.id})") for s in servers]


class AttachView(VolumeFormMixin, ModalFormView):
    form_class = AttachForm
    page_title = "Attach Volume"
    submit_label = "Attach Volume"
    success_message = "Volume attach requested."

    def perform(self, form):
        from compute.services import volumes as compute_volumes

        compute_volumes.attach_volume(self.request.ctx, form.cleaned_data["server"], self.volume.id)


class SnapshotForm(DashboardForm):
    name = forms.CharField(max_length=255)
    description = forms.CharField(max_length=255, required=False)


class SnapshotView(VolumeFormMixin, ModalFormView):
    form_class = SnapshotForm
    page_title = "Create Volume Snapshot"
    submit_label = "Create Snapshot"
    success_message = 'Snapshot "{name}" is being created.'

    def perform(self, form):
        data = form.cleaned_data
        snapshot_services.create_snapshot(self.request.ctx, self.volume.id, data["name"], data["description"] or None,
                                          force=self.volume.status == "in-use")


class BackupForm(DashboardForm):
    name = forms.CharField(max_length=255)
    description = forms.CharField(max_length=255, required=False)
    incremental = forms.BooleanField(required=False, help_text="Only the chunks changed since the last backup.")


class BackupView(VolumeFormMixin, ModalFormView):
    form_class = BackupForm
    page_title = "Create Volume Backup"
    submit_label = "Create Backup"
    success_message = 'Backup "{name}" is being created.'

    def perform(self, form):
        data = form.cleaned_data
        backup_services.create_backup(self.request.ctx, self.volume.id, data["name"], data["description"] or None,
                                      incremental=data["incremental"], force=self.volume.status == "in-use")

