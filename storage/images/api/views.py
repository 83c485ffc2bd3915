"""Glance v2 under /image: versions, images, data, tags, actions, members, schemas."""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from rest_framework.exceptions import NotAcceptable
from rest_framework.response import Response

from core.api.views import OpenStackAPIView
from core.exceptions import BadRequest, NotFound, UnsupportedMediaType
from storage.images import services
from storage.images.api import render
from storage.images.api.parsers import ImagePatchParser, ImagePatchV20Parser
from storage.images.api.schemas import SCHEMAS

# Glance's API minor versions; all served by the same code, the newest CURRENT.
VERSIONS = [f"v2.{minor}" for minor in range(16, -1, -1)]
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
DOWNLOAD_CHUNK = 1024 * 1024


class GlanceView(OpenStackAPIView):
    error_style = "plain"

    def perform_content_negotiation(self, request, force=False):
        # openstacksdk sends "Accept: " (empty) with uploads and patches; Glance answers JSON anyway.
        try:
            return super().perform_content_negotiation(request, force)
        except NotAcceptable:
            renderer = self.get_renderers()[0]
            return renderer, renderer.media_type


def versions_document(request):
    base = settings.PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return {"versions": [{"id": version, "status": "CURRENT" if index == 0 else "SUPPORTED",
                          "links": [{"rel": "self", "href": f"{base}/image/v2/"}]}
                         for index, version in enumerate(VERSIONS)]}


class VersionsView(GlanceView):
    require_auth = False
    authentication_classes = []

    def get(self, request):
        # The root answers 300 (choose a version) as Glance does; /versions answers 200.
        status = 300 if not request.path.rstrip("/").endswith("versions") else 200
        return Response(versions_document(request), status=status)


class SchemaView(GlanceView):
    def get(self, request, name):
        if name not in SCHEMAS:
            raise NotFound(f"No schema named {name}")
        return Response(SCHEMAS[name]())


class ImportInfoView(GlanceView):
    def get(self, request):
        return Response({"import-methods": {"description": "Import methods available.", "type": "array",
                                            "value": []}})


class ImagesView(GlanceView):
    def get(self, request):
        rows, has_more = services.list_images(self.ctx, request.query_params)
        params = [(k, v) for k in request.query_params for v in request.query_params.getlist(k) if k != "marker"]
        body = {"images": [render.image(row) for row in rows], "schema": "/v2/schemas/images",
                "first": "/v2/images" + (f"?{urlencode(params)}" if params else "")}
        if has_more and rows:
            body["next"] = "/v2/images?" + urlencode(params + [("marker", rows[-1].id)])
        return Response(body)

    def post(self, request):
        fields = self.body()
        image = services.create_image(self.ctx, **fields)
        return Response(render.image(image), status=201, headers={"Location": f"/v2/images/{image.id}",
                                                                  "OpenStack-image-import-methods": ""})


class ImageView(GlanceView):
    parser_classes = [ImagePatchParser, ImagePatchV20Parser]

    def get(self, request, image_id):
        return Response(render.image(services.get_image(self.ctx, image_id)))

    def patch(self, request, image_id):
        operations = services.parse_patch(request.data)
        image = services.update_image(self.ctx, image_id, operations)
        return Response(render.image(image))

    def delete(self, request, image_id):
        services.delete_image(self.ctx, image_id)
        return Response(status=204)


def _size_header(meta, name):
    value = meta.get(name)
    if value in (None, ""):
        return None
    try:
        size = int(value)
    except ValueError:
        raise BadRequest(f"Invalid {name}: {value!r}") from None
    if size < 0:
        raise BadRequest(f"Invalid {name}: {value!r}")
    return size


def _parse_range(header, size):
    """(start, end inclusive) or None for the whole file; raises ValueError if unsatisfiable."""
    match = RANGE.match(header.strip())
    if not match or not (match.group(1) or match.group(2)):
        raise ValueError(header)
    first, last = match.group(1), match.group(2)
    if first == "":
        length = int(last)
        if length == 0:
            raise ValueError(header)
        start, end = max(size - length, 0), size - 1
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise ValueError(header)
    return start, end


def _read_range(handle, start, length):
    try:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(DOWNLOAD_CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


class ImageFileView(GlanceView):
    def get(self, request, image_id):
        image, handle = services.download_image(self.ctx, image_id)
        if handle is None:
            return HttpResponse(status=204)
        size = image.size
        range_header = request.META.get("HTTP_RANGE")
        if range_header:
            try:
                start, end = _parse_range(range_header, size)
            except ValueError:
                handle.close()
                response = HttpResponse(f"416 Requested Range Not Satisfiable\n\nInvalid range {range_header}\n",
                                        status=416, content_type="text/plain; charset=UTF-8")
                response["Content-Range"] = f"bytes */{size}"
                return response
            response = StreamingHttpResponse(_read_range(handle, start, end - start + 1), status=206,
                                             content_type="application/octet-stream")
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Length"] = str(end - start + 1)
            response["Accept-Ranges"] = "bytes"
            return response
        response = FileResponse(handle, content_type="application/octet-stream")
        response.block_size = DOWNLOAD_CHUNK
        response["Content-Length"] = str(size)
        response["Accept-Ranges"] = "bytes"
        if image.checksum:
            response["Content-MD5"] = image.checksum
        return response

    def put(self, request, image_id):
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type not in ("application/octet-stream", ""):
            raise UnsupportedMediaType(f"Unsupported Content-Type {content_type}: send application/octet-stream.")
        django_request = request._request
        meta = django_request.META
        expected = _size_header(meta, "CONTENT_LENGTH")
        if expected is None and "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower():
            # Django reads no body without Content-Length; the server (gunicorn) de-chunks wsgi.input.
            stream = meta["wsgi.input"]
            expected = _size_header(meta, "HTTP_X_OPENSTACK_IMAGE_SIZE")
        else:
            stream = django_request
        services.upload_image_data(self.ctx, image_id, stream, expected_size=expected)
        return Response(status=204)


class ImageTagView(GlanceView):
    def put(self, request, image_id, tag):
        services.add_tag(self.ctx, image_id, tag)
        return Response(status=204)

    def delete(self, request, image_id, tag):
        services.delete_tag(self.ctx, image_id, tag)
        return Response(status=204)


class ImageActionView(GlanceView):
    def post(self, request, image_id, action):
        if action == "deactivate":
            services.deactivate_image(self.ctx, image_id)
        elif action == "reactivate":
            services.reactivate_image(self.ctx, image_id)
        else:
            raise NotFound(f"Unknown action {action}")
        return Response(status=204)


class MembersView(GlanceView):
    def get(self, request, image_id):
        members = services.list_members(self.ctx, image_id)
        return Response({"members": [render.member(m) for m in members], "schema": "/v2/schemas/members"})

    def post(self, request, image_id):
        body = self.body()
        if "member" not in body:
            raise BadRequest("Member to be added not specified")
        return Response(render.member(services.add_member(self.ctx, image_id, body["member"])))


class MemberView(GlanceView):
    def get(self, request, image_id, member_id):
        return Response(render.member(services.get_member(self.ctx, image_id, member_id)))

    def put(self, request, image_id, member_id):
        body = self.body()
        if "status" not in body:
            raise BadRequest("Status not specified")
        return Response(render.member(services.update_member(self.ctx, image_id, member_id, body["status"])))

    def delete(self, request, image_id, member_id):
        services.delete_member(self.ctx, image_id, member_id)
        return Response(status=204)
