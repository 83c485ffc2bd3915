"""The Images panel: list with filters, create with an in-browser upload (progress bar), edit, share,
delete, detail. Every change goes through storage.images.services with request.ctx."""


from django.contrib import messages
from django.http import FileResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views import View

from core.exceptions import BadRequest, NebulaError
from dashboard.panels.images import forms, tables
from dashboard.views.base import ModalFormView, PanelView, TableView, run_table_action
from storage.images import services

VISIBILITY_FILTERS = [("", "All"), ("private", "Private"), ("shared", "Shared"), ("public", "Public"),
                      ("community", "Community")]


def list_for(ctx, visibility=""):
    params = {"limit": ["1000"]}
    if visibility:
        params["visibility"] = [visibility]
        if visibility == "shared":
            params["member_status"] = ["all"]
    rows, _more = services.list_images(ctx, params)
    return rows


class IndexView(TableView):
    table_class = tables.ImagesTable
    page_title = "Images"
    template_name = "dashboard/images/index.html"

    def get_data(self):
        visibility = self.request.GET.get("visibility", "")
        if visibility not in dict(VISIBILITY_FILTERS):
            raise BadRequest(f"Unknown visibility {visibility}")
        return list_for(self.request.ctx, visibility)

    def get_row(self, row_id):
        return services.get_image(self.request.ctx, row_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = self.request.GET.get("visibility", "")
        context["visibility_filters"] = [(value, label, value == current) for value, label in VISIBILITY_FILTERS]
        return context


def _fields(cleaned):
    fields = {k: v for k, v in cleaned.items() if k != "properties"}
    fields.update(cleaned.get("properties") or {})
    return fields


class CreateView(PanelView):
    """GET: the form. POST (from the page's script, or a plain form without a file): creates the queued
    image; the script then PUTs the file to UploadView with a progress bar."""

    template_name = "dashboard/images/create.html"
    page_title = "Create Image"

    def get_breadcrumbs(self):
        return [("Create Image", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", forms.CreateImageForm(ctx=self.request.ctx))
        return context

    def post(self, request, *args, **kwargs):
        wants_json = request.headers.get("X-Requested-With") == "fetch"
        form = forms.CreateImageForm(request.POST, ctx=request.ctx)
        if not form.is_valid():
            if wants_json:
                return JsonResponse({"errors": {k: [str(e) for e in v] for k, v in form.errors.items()}}, status=400)
            return self.render_to_response(self.get_context_data(form=form))
        try:
            image = services.create_image(request.ctx, **_fields(form.cleaned_data))
        except NebulaError as error:
            if wants_json:
                return JsonResponse({"errors": {"__all__": [error.message]}}, status=error.status)
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form))
        detail = reverse("dashboard:project:images:detail", args=[image.id])
        if wants_json:
            return JsonResponse({"id": image.id, "detail": detail,
                                 "upload": reverse("dashboard:project:images:upload", args=[image.id])},
                                status=201)
        messages.success(request, f'Image "{image.name}" created (no data uploaded yet).')
        return HttpResponseRedirect(detail)


class UploadView(View):
    """PUT the image data as the raw request body (the browser streams the file; Django never reads it
    whole: the service reads the request in chunks)."""

    def put(self, request, image_id):
        length = request.META.get("CONTENT_LENGTH")
        try:
            expected = int(length) if length else None
            image = services.upload_image_data(request.ctx, image_id, request, expected_size=expected)
        except (ValueError, NebulaError) as error:
            message = getattr(error, "message", str(error))
            return JsonResponse({"error": message}, status=getattr(error, "status", 400))
        messages.success(request, f'Image "{image.name}" uploaded ({tables.human_size(image.size)}).')
        return JsonResponse({"status": image.status, "size": image.size, "checksum": image.checksum})


class EditView(ModalFormView):
    form_class = forms.EditImageForm
    page_title = "Edit Image"
    submit_label = "Save"
    success_message = 'Image "{name}" updated.'

    def get_initial(self):
        image = services.get_image(self.request.ctx, self.kwargs["image_id"])
        return {"name": image.name, "visibility": image.visibility, "min_disk": image.min_disk,
                "min_ram": image.min_ram, "protected": image.protected,
                "tags": ", ".join(services.image_tags(image)),
                "properties": "\n".join(f"{k}={v}" for k, v in sorted(image.properties.items()))}

    def perform(self, form):
        services.set_image_fields(self.request.ctx, self.kwargs["image_id"], **form.cleaned_data)


class AddMemberView(ModalFormView):
    form_class = forms.AddMemberForm
    page_title = "Share with Project"
    submit_label = "Share"
    success_message = "Shared with project {member}."

    def perform(self, form):
        services.add_member(self.request.ctx, self.kwargs["image_id"], form.cleaned_data["member"].strip())


class DetailView(PanelView):
    template_name = "dashboard/images/detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.image = services.get_image(request.ctx, kwargs["image_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Image: {self.image.name or self.image.id}"

    def get_breadcrumbs(self):
        return [(self.image.name or self.image.id, None)]

    def members_table(self, rows):
        return tables.MembersTable(self.request, rows, image=self.image)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        image = self.image
        context["image"] = image
        context["tags"] = services.image_tags(image)
        context["properties"] = sorted(image.properties.items())
        context["size"] = tables.human_size(image.size)
        context["virtual_size"] = tables.human_size(image.virtual_size)
        context["owns"] = self.request.ctx.is_admin or image.owner == self.request.ctx.project_id
        if image.visibility == "shared":
            context["table"] = self.members_table(services.list_members(self.request.ctx, image.id))
        return context

    def post(self, request, *args, **kwargs):
        return run_table_action(request, self.members_table([]))


def download(request, image_id):
    image, handle = services.download_image(request.ctx, image_id)
    if handle is None:
        raise BadRequest(f"Image {image.name or image.id} has no data yet.")
    response = FileResponse(handle, as_attachment=True, filename=f"{image.name or image.id}.{image.disk_format}",
                            content_type="application/octet-stream")
    response["Content-Length"] = str(image.size)
    return response


def image_json(request, image_id):
    """The image's API body (for the detail page's raw view)."""
    from storage.images.api.render import image as render_image

    return JsonResponse(render_image(services.get_image(request.ctx, image_id)),
                        json_dumps_params={"indent": 2})
