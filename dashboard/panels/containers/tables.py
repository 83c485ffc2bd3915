from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import urlencode

from dashboard import tables
from storage.objects import services


def _browse(row):
    return reverse("dashboard:project:containers:browse", args=[row["name"]])


def _can_write(request, row=None):
    return request.ctx.has_role("member") or request.ctx.is_admin


def _delete_container(ctx, name):
    services.delete_container(ctx, ctx.project_id, name)


class PublicAction(tables.PostAction):
    """Make a container public (anyone may read and list it: `.r:*,.rlistings`) or private again."""

    def __init__(self, public):
        super().__init__("make_public" if public else "make_private",
                         "Make Public" if public else "Make Private", classes="btn-outline-secondary",
                         icon="bi-globe" if public else "bi-lock", allowed=_can_write)
        self.public = public
        self.success = "Made {count} container(s) " + ("public." if public else "private.")

    def handle(self, request, object_id):
        headers = {"x-container-read": ".r:*,.rlistings"} if self.public else {"x-remove-container-read": "1"}
        services.update_container(request.ctx, request.ctx.project_id, object_id, headers)


class ContainersTable(tables.Table):
    name = "containers"
    columns = [
        tables.Column("name", link=_browse),
        tables.Column("count", label="Objects"),
        tables.Column("bytes", label="Size", display=filesizeformat),
        tables.BooleanColumn("public", label="Public"),
    ]
    filter_fields = ["name"]
    default_sort = "name"
    empty_message = "No containers."
    table_actions = [tables.ModalAction("create", "Create Container", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:project:containers:create", allowed=_can_write)]
    row_actions = [PublicAction(True), PublicAction(False),
                   tables.DeleteAction(_delete_container, "container", allowed=_can_write)]
    batch_actions = [tables.DeleteAction(_delete_container, "container", allowed=_can_write)]


def _object_link(row):
    container = row["container"]
    if row["folder"]:
        return reverse("dashboard:project:containers:browse", args=[container]) + "?" + urlencode(
            {"path": row["id"]})
    return reverse("dashboard:project:containers:object", args=[container, row["id"]])


def _download_link(row):
    return reverse("dashboard:project:containers:download", args=[row["container"], row["id"]])


class DeleteObjectAction(tables.DeleteAction):
    def handle(self, request, object_id):
        container = request.resolver_match.kwargs["container"]
        services.delete_object(request.ctx, request.ctx.project_id, container, object_id)


class ObjectsTable(tables.Table):
    name = "objects"
    columns = [
        tables.Column("name", link=_object_link,
                      display=lambda v: v),
        tables.Column("kind", label="Type"),
        tables.Column("size", label="Size", display=lambda v: filesizeformat(v) if v != "" else ""),
        tables.Column("last_modified", label="Last modified"),
    ]
    filter_fields = ["name"]
    empty_message = "No objects here."
    row_actions = [
        tables.LinkAction("download", "Download", icon="bi-download", url=_download_link,
                          allowed=lambda request, row: row is None or not row["folder"]),
        DeleteObjectAction(None, "object", allowed=lambda request, row: _can_write(request) and (
            row is None or not row["folder"])),
    ]
    batch_actions = [DeleteObjectAction(None, "object", allowed=_can_write)]
