from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View

from dashboard.panels.containers import forms, tables
from dashboard.views.base import ModalFormView, PanelView, TableView, run_table_action
from storage.objects import acl, services


def container_rows(ctx):
    params = services.ListingParams()
    return [{"id": c.name, "name": c.name, "count": c.object_count or 0, "bytes": c.bytes_used or 0,
             "public": acl.referrer_allowed(acl.parse(c.read_acl), None)}
            for c in services.list_containers(ctx, ctx.project_id, params)]


class IndexView(TableView):
    table_class = tables.ContainersTable
    page_title = "Containers"

    def get_data(self):
        return container_rows(self.request.ctx)


class CreateView(ModalFormView):
    form_class = forms.CreateContainerForm
    page_title = "Create Container"
    submit_label = "Create"
    success_message = 'Container "{name}" created.'

    def perform(self, form):
        headers = {"x-container-read": ".r:*,.rlistings"} if form.cleaned_data["public"] else {}
        services.create_container(self.request.ctx, self.request.ctx.project_id, form.cleaned_data["name"],
                                  headers)


def public_url(ctx, container, name=None):
    base = f"{settings.PUBLIC_URL}/object/v1/AUTH_{ctx.project_id}/{quote(container)}"
    return f"{base}/{quote(name)}" if name else base


class BrowseView(TableView):
    """A folder-like view of one container: `path` is the current prefix, `delimiter=/` folds deeper
    names into folders."""

    table_class = tables.ObjectsTable
    template_name = "dashboard/containers/browse.html"

    def dispatch(self, request, *args, **kwargs):
        self.container = kwargs["container"]
        self.prefix = request.GET.get("path", "")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Container: {self.container}"

    def get_breadcrumbs(self):
        crumbs = [(self.container, reverse("dashboard:project:containers:browse", args=[self.container]))]
        walked = ""
        for part in [p for p in self.prefix.split("/") if p]:
            walked += part + "/"
            crumbs.append((part, reverse("dashboard:project:containers:browse", args=[self.container]) + "?" +
                           urlencode({"path": walked})))
        return crumbs

    def get_data(self):
        ctx = self.request.ctx
        params = services.ListingParams(prefix=self.prefix, delimiter="/")
        self.info = services.container_info(ctx, ctx.project_id, self.container)
        _container, entries = services.list_objects(ctx, ctx.project_id, self.container, params)
        rows = []
        for entry in entries:
            if isinstance(entry, dict):
                name = entry["subdir"]
                rows.append({"id": name, "name": name[len(self.prefix):], "folder": True, "kind": "folder",
                             "size": "", "last_modified": "", "container": self.container})
            else:
                rows.append({"id": entry.name, "name": entry.name[len(self.prefix):], "folder": False,
                             "kind": entry.content_type, "size": entry.size,
                             "last_modified": services.swift_datetime(entry.last_modified)[:19].replace("T", " "),
                             "container": self.container})
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ctx = self.request.ctx
        context["container"] = self.container
        context["prefix"] = self.prefix
        context["info"] = self.info
        context["public"] = acl.referrer_allowed(acl.parse(self.info.container.read_acl), None)
        context["public_url"] = public_url(ctx, self.container) if context["public"] else None
        context["can_write"] = ctx.has_role("member") or ctx.is_admin
        return context

    def post(self, request, *args, **kwargs):
        return run_table_action(request, tables.ObjectsTable(request, []))


class UploadView(View):
    """A plain multipart POST from the browse page; Django spools big files to disk, and the file
    streams from there into the store."""

    def post(self, request, container):
        prefix = request.POST.get("path", "")
        upload = request.FILES.get("file")
        back = reverse("dashboard:project:containers:browse", args=[container]) + (
            "?" + urlencode({"path": prefix}) if prefix else "")
        if upload is None:
            messages.error(request, "Choose a file to upload.")
            return HttpResponseRedirect(back)
        name = prefix + (request.POST.get("name") or upload.name)
        services.put_object(request.ctx, request.ctx.project_id, container, name, upload,
                            content_type=upload.content_type if upload.content_type != "application/octet-stream"
                            else None, content_length=upload.size)
        messages.success(request, f'Uploaded "{name}".')
        return HttpResponseRedirect(back)


class ObjectDetailView(PanelView):
    template_name = "dashboard/containers/object.html"

    def dispatch(self, request, *args, **kwargs):
        self.container, self.name = kwargs["container"], kwargs["obj"]
        self.info = services.head_object(request.ctx, request.ctx.project_id, self.container, self.name)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Object: {self.name}"

    def get_breadcrumbs(self):
        return [(self.container, reverse("dashboard:project:containers:browse", args=[self.container])),
                (self.name, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ctx = self.request.ctx
        public = acl.referrer_allowed(acl.parse(self.info.container.read_acl), None)
        context.update({
            "container": self.container, "name": self.name, "info": self.info,
            "metadata": sorted((k[len("x-object-meta-"):], v) for k, v in self.info.metadata.items()
                               if k.startswith("x-object-meta-")),
            "last_modified": services.swift_datetime(self.info.last_modified),
            "public_url": public_url(ctx, self.container, self.name) if public else None,
            "download_url": reverse("dashboard:project:containers:download", args=[self.container, self.name]),
            "can_write": ctx.has_role("member") or ctx.is_admin,
        })
        return context

    def post(self, request, *args, **kwargs):
        services.delete_object(request.ctx, request.ctx.project_id, self.container, self.name)
        messages.success(request, f'Deleted "{self.name}".')
        return HttpResponseRedirect(reverse("dashboard:project:containers:browse", args=[self.container]))


def download(request, container, obj):
    info, chunks = services.get_object(request.ctx, request.ctx.project_id, container, obj)
    response = StreamingHttpResponse(chunks, content_type=info.content_type)
    response["Content-Length"] = str(info.size)
    filename = obj.rsplit("/", 1)[-1]
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

