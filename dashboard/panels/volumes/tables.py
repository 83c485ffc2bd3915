"""The volumes table: status that follows the back end's work, and the actions on a volume."""

from django.urls import reverse

from dashboard import tables
from storage.volumes.services import volumes as volume_services

FINAL = ("available", "in-use", "error", "error_extending", "error_deleting", "error_restoring")


def attached_to(row):
    return ", ".join(f"{a.instance_uuid} on {a.mountpoint}" for a in row.attachments.all() if a.status == "attached")


def _when(*statuses):
    return lambda request, row: row is None or row.status in statuses


class DetachAction(tables.PostAction):
    success = "Detach requested for {count} volume(s)."
    failure = "Unable to detach {name}: {error}"

    def handle(self, request, object_id):
        from compute.services import volumes as compute_volumes

        volume = volume_services.get_volume(request.ctx, object_id)
        for attachment in volume.attachments.filter(status="attached"):
            compute_volumes.detach_volume(request.ctx, attachment.instance_uuid, volume.id)


def _modal(name, label, icon, statuses):
    return tables.ModalAction(name, label, icon=icon, allowed=_when(*statuses),
                              url=lambda row: reverse(f"dashboard:project:volumes:{name}", args=[row.id]))


class VolumesTable(tables.Table):
    name = "volumes"
    columns = [
        tables.Column("name", display=lambda v: v or "—"),
        tables.Column("description", sortable=False),
        tables.Column("size", label="Size", display=lambda v: f"{v} GiB"),
        tables.StatusColumn("status", final=FINAL, styles={"ERROR_EXTENDING": "danger", "ERROR_DELETING": "danger",
                                                           "ERROR_RESTORING": "danger"}),
        tables.Column("volume_type", label="Type", accessor=lambda row: row.volume_type.name, sortable=False),
        tables.Column("attached", label="Attached To", accessor=attached_to, sortable=False),
        tables.Column("availability_zone", label="Zone"),
        tables.BooleanColumn("bootable"),
        tables.Column("created_at", label="Created"),
    ]
    filter_fields = ["name", "status"]
    default_sort = "-created_at"
    empty_message = "No volumes."
    table_actions = [tables.ModalAction("create", "Create Volume", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:project:volumes:create")]
    row_actions = [
        _modal("extend", "Extend", "bi-arrows-angle-expand", ("available",)),
        _modal("attach", "Attach", "bi-link", ("available",)),
        DetachAction("detach", "Detach", icon="bi-x-circle", allowed=_when("in-use"),
                     confirm="Detach this volume from its server?"),
        _modal("snapshot", "Create Snapshot", "bi-camera", ("available", "in-use")),
        _modal("backup", "Create Backup", "bi-archive", ("available", "in-use")),
        tables.DeleteAction(volume_services.delete_volume, "volume"),
    ]
    batch_actions = [tables.DeleteAction(volume_services.delete_volume, "volume")]
