from django.urls import reverse

from dashboard import tables
from storage.images import services


def detail_url(row):
    return reverse("dashboard:project:images:detail", args=[row.id])


def edit_url(row):
    return reverse("dashboard:project:images:edit", args=[row.id])


def human_size(value):
    if value is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024


def _owns(request, row):
    return row is not None and (request.ctx.is_admin or row.owner == request.ctx.project_id)


def _admin(request, row=None):
    return request.ctx.is_admin


class Deactivate(tables.PostAction):
    success = "Deactivated {count} image(s)."
    failure = "Unable to deactivate {name}: {error}"

    def __init__(self):
        super().__init__("deactivate", "Deactivate", icon="bi-pause-circle", classes="btn-outline-secondary",
                         allowed=lambda request, row: _admin(request) and (row is None or row.status == "active"))

    def handle(self, request, object_id):
        services.deactivate_image(request.ctx, object_id)


class Reactivate(tables.PostAction):
    success = "Reactivated {count} image(s)."
    failure = "Unable to reactivate {name}: {error}"

    def __init__(self):
        super().__init__("reactivate", "Reactivate", icon="bi-play-circle", classes="btn-outline-secondary",
                         allowed=lambda request, row: _admin(request) and (row is None or row.status == "deactivated"))

    def handle(self, request, object_id):
        services.reactivate_image(request.ctx, object_id)


class ImagesTable(tables.Table):
    name = "images"
    columns = [
        tables.Column("name", link=detail_url, display=lambda v: v or "(no name)"),
        tables.StatusColumn("status", final=("active", "killed", "deactivated", "queued", "deleted")),
        tables.Column("visibility"),
        tables.Column("disk_format", label="Format"),
        tables.Column("size", display=human_size),
        tables.BooleanColumn("protected"),
        tables.Column("created_at", label="Created"),
    ]
    filter_fields = ["name", "status", "visibility", "disk_format", "id"]
    default_sort = "name"
    empty_message = "No images."
    table_actions = [tables.LinkAction("create", "Create Image", icon="bi-plus-lg", classes="btn-primary",
                                       url="dashboard:project:images:create")]
    row_actions = [
        tables.ModalAction("edit", "Edit Image", url=edit_url, icon="bi-pencil", allowed=_owns),
        Deactivate(),
        Reactivate(),
        tables.DeleteAction(services.delete_image, "image", allowed=lambda request, row: row is None or _owns(request, row)),
    ]
    batch_actions = [tables.DeleteAction(services.delete_image, "image")]


class RemoveMember(tables.PostAction):
    success = "Removed {count} member(s)."
    failure = "Unable to remove member {name}: {error}"

    def __init__(self, image_id):
        super().__init__("remove", "Remove", icon="bi-x-lg", confirm="Stop sharing the image with this project?")
        self.image_id = image_id

    def handle(self, request, object_id):
        services.delete_member(request.ctx, self.image_id, object_id)


class SetMemberStatus(tables.PostAction):
    def __init__(self, image_id, status, label, icon):
        super().__init__(status, label, icon=icon, classes="btn-outline-primary",
                         allowed=lambda request, row: row is None or row.member == request.ctx.project_id)
        self.image_id, self.status = image_id, status
        self.success = f"{label}: done."
        self.failure = f"Unable to {label.lower()}: {{error}}"

    def handle(self, request, object_id):
        services.update_member(request.ctx, self.image_id, object_id, self.status)


class MembersTable(tables.Table):
    name = "members"
    verbose_name = "Members (projects this image is shared with)"
    row_id_field = "member"
    name_field = "member"
    columns = [
        tables.Column("member", label="Project ID", classes="font-monospace small"),
        tables.StatusColumn("status", final=("pending", "accepted", "rejected"),
                            styles={"PENDING": "warning", "ACCEPTED": "success", "REJECTED": "secondary"}),
        tables.Column("updated_at", label="Updated"),
    ]
    empty_message = "Not shared with any project."

    def __init__(self, request, data, image=None):
        super().__init__(request, data)
        image_id = image.id if image else ""
        owner = image is not None and (request.ctx.is_admin or image.owner == request.ctx.project_id)
        self.row_actions = [SetMemberStatus(image_id, "accepted", "Accept", "bi-check-lg"),
                            SetMemberStatus(image_id, "rejected", "Reject", "bi-x-circle")]
        if owner:
            self.row_actions.append(RemoveMember(image_id))
            self.batch_actions = [RemoveMember(image_id)]
            self.table_actions = [tables.ModalAction(
                "add_member", "Share with Project", icon="bi-share", classes="btn-primary",
                url=reverse("dashboard:project:images:add_member", args=[image_id]))]
