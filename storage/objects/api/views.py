"""Swift v1 over plain Django views: object bodies stream from the WSGI input and back out through
StreamingHttpResponse (DRF would read them whole). Each view parses, calls `services`, renders."""

import functools
import logging
import uuid
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import unquote

from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from core.api.authentication import validate
from core.context import RequestContext
from core.exceptions import BadRequest, MethodNotAllowed, NebulaError, Unauthorized
from storage.objects import conf, services
from storage.objects.api import render
from storage.objects.errors import LengthRequired, NotModified, PreconditionFailed, RangeNotSatisfiable

log = logging.getLogger(__name__)
MAX_MANIFEST = services.MAX_MANIFEST_SIZE


def _response(status=204, body=b"", content_type="text/html; charset=UTF-8", headers=None):
    response = HttpResponse(body, status=status, content_type=content_type)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def _error(status, message, headers=None):
    body, content_type = render.error_page(status, message)
    response = _response(status, body, content_type, headers)
    return response


def swift_view(view):
    """Trans ids, the caller's context (None when anonymous), Swift error pages, HEAD without body."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        trans_id = f"tx{uuid.uuid4().hex[:21]}-{uuid.uuid4().hex[:10]}"
        request.request_id = trans_id
        try:
            if "\x00" in request.path or any("\x00" in v for vs in request.GET.lists() for v in vs[1]):
                raise BadRequest("Null characters are not allowed in names or parameters")
            token = request.headers.get("X-Auth-Token") or request.headers.get("X-Storage-Token")
            ctx = None
            if token:
                ctx = validate(token, request_id=trans_id)
                if ctx is None:
                    raise Unauthorized()
            response = view(request, ctx, *args, **kwargs)
        except NotModified as error:
            response = _response(304, headers=getattr(error, "headers", {}))
        except NebulaError as error:
            response = _error(error.status, error.message, getattr(error, "headers", None))
        except Exception:
            log.exception("object API error")
            response = _error(500, None)
        response["X-Trans-Id"] = trans_id
        response["X-Openstack-Request-Id"] = trans_id
        if request.method == "HEAD" and not response.streaming:
            length = response.get("Content-Length")
            response.content = b""
            if length is not None:
                response["Content-Length"] = length
        return response

    return wrapper


def _headers(request):
    return {key.lower(): value for key, value in request.headers.items()}


def _meta_headers(metadata):
    return {key.title(): value for key, value in metadata.items()}


def _http_date(value):
    return formatdate(value.timestamp(), usegmt=True)


# -- /info ------------------------------------------------------------------------------------------
@swift_view
def info(request, ctx):
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed()
    import json

    document = {
        "swift": {"version": "2.34.0", "max_file_size": conf.MAX_FILE_SIZE,
                  "max_meta_name_length": conf.MAX_META_NAME_LENGTH,
                  "max_meta_value_length": conf.MAX_META_VALUE_LENGTH, "max_meta_count": 90,
                  "max_meta_overall_size": 4096, "account_listing_limit": conf.LISTING_LIMIT,
                  "container_listing_limit": conf.LISTING_LIMIT,
                  "max_object_name_length": conf.MAX_OBJECT_NAME_LENGTH,
                  "max_container_name_length": conf.MAX_CONTAINER_NAME_LENGTH,
                  "max_account_name_length": 256, "max_header_size": 8192, "extra_header_count": 0,
                  "account_autocreate": True, "allow_account_management": False, "strict_cors_mode": True,
                  "valid_api_versions": ["v1"], "policies": [{"name": "Policy-0", "default": True}]},
        "slo": {"max_manifest_segments": services.SLO_MAX_SEGMENTS, "max_manifest_size": MAX_MANIFEST,
                "min_segment_size": services.SLO_MIN_SEGMENT_SIZE, "yield_frequency": 10,
                "allow_async_delete": False},
        "dlo": {"max_segments": 10000},
        "tempurl": {"methods": ["GET", "HEAD", "PUT"], "allowed_digests": ["sha1", "sha256", "sha512"],
                    "incoming_remove_headers": ["x-timestamp"], "incoming_allow_headers": [],
                    "outgoing_remove_headers": ["x-object-meta-*"], "outgoing_allow_headers": []},
        "container_quotas": {},
        "formpost": {},
        "tempauth": {"account_acls": False},
    }
    return _response(200, json.dumps(document), "application/json; charset=utf-8")


# -- account ----------------------------------------------------------------------------------------
def _account_headers(account):
    headers = {"X-Account-Container-Count": str(account.container_count),
               "X-Account-Object-Count": str(account.object_count),
               "X-Account-Bytes-Used": str(account.bytes_used),
               "X-Timestamp": f"{(account.created_at.timestamp() if account.created_at else 0):016.5f}",
               "X-Put-Timestamp": f"{(account.created_at.timestamp() if account.created_at else 0):016.5f}"}
    headers.update(_meta_headers(account.metadata))
    return headers


@swift_view
def account(request, ctx, project_id):
    if request.method in ("HEAD", "GET"):
        info = services.account_info(ctx, project_id)
        headers = _account_headers(info)
        if request.method == "HEAD":
            return _response(204, headers=headers)
        params = services.ListingParams.from_query(request.GET)
        entries = services.list_containers(ctx, project_id, params)
        fmt = render.negotiate(request)
        body, content_type = render.listing(fmt, entries, render.container_entry, "account",
                                            f"AUTH_{project_id}", "container")
        status = 204 if (fmt == "plain" and not entries) else 200
        return _response(status, body, content_type, headers)
    if request.method == "POST":
        services.update_account_metadata(ctx, project_id, _headers(request))
        return _response(204)
    raise MethodNotAllowed()


# -- containers -------------------------------------------------------------------------------------
def _container_headers(info, owner_view):
    container = info.container
    headers = {"X-Container-Object-Count": str(info.object_count),
               "X-Container-Bytes-Used": str(info.bytes_used),
               "X-Timestamp": container.timestamp, "X-Put-Timestamp": container.timestamp,
               "X-Storage-Policy": "Policy-0", "Last-Modified": _http_date(container.updated_at)}
    headers.update(_meta_headers({k: v for k, v in container.metadata.items()
                                  if owner_view or "temp-url-key" not in k}))
    if owner_view:
        if container.read_acl:
            headers["X-Container-Read"] = container.read_acl
        if container.write_acl:
            headers["X-Container-Write"] = container.write_acl
    return headers


@swift_view
def container(request, ctx, project_id, container):
    container_name = container
    referrer = request.headers.get("Referer")
    method = request.method
    if method in ("HEAD", "GET"):
        info = services.container_info(ctx, project_id, container_name, referrer)
        owner_view = services._owner_access(ctx, project_id) is not None
        headers = _container_headers(info, owner_view)
        if method == "HEAD":
            return _response(204, headers=headers)
        params = services.ListingParams.from_query(request.GET)
        _row, entries = services.list_objects(ctx, project_id, container_name, params, referrer)
        fmt = render.negotiate(request)
        body, content_type = render.listing(fmt, entries, render.object_entry, "container", container_name,
                                            "object")
        status = 204 if (fmt == "plain" and not entries) else 200
        return _response(status, body, content_type, headers)
    if method == "PUT":
        _row, created = services.create_container(ctx, project_id, container_name, _headers(request))
        return _response(201 if created else 202)
    if method == "POST":
        if _is_form(request):
            return _form_post(request, project_id, container_name, "")
        services.update_container(ctx, project_id, container_name, _headers(request))
        return _response(204)
    if method == "DELETE":
        services.delete_container(ctx, project_id, container_name)
        return _response(204)
    raise MethodNotAllowed()


# -- form POST --------------------------------------------------------------------------------------
def _is_form(request):
    return request.content_type == "multipart/form-data"


def _form_post(request, project_id, container_name, prefix):
    """Browser uploads without a token (Swift's formpost): Django spools big files to disk."""
    from django.http import HttpResponseRedirect
    from django.utils.http import urlencode

    full = unquote(request.path)
    paths = [full, full[len("/object"):] if full.startswith("/object/") else full]
    fields = {key: request.POST.get(key) for key in request.POST}
    files = [upload for key in request.FILES for upload in request.FILES.getlist(key)]
    redirect = fields.get("redirect", "")
    try:
        services.form_post(project_id, container_name, prefix, paths, fields, files)
    except NebulaError as error:
        if redirect and error.status != 401:
            separator = "&" if "?" in redirect else "?"
            return HttpResponseRedirect(redirect + separator + urlencode(
                {"status": error.status, "message": error.message}))
        raise
    if redirect:
        separator = "&" if "?" in redirect else "?"
        return HttpResponseRedirect(redirect + separator + urlencode({"status": 201, "message": ""}))
    return _response(201, b"<html><h1>Created</h1><p>The files were stored.</p></html>")


# -- objects ----------------------------------------------------------------------------------------
def _tempurl_context(request, project_id, container_name):
    signature = request.GET.get("temp_url_sig")
    expires = request.GET.get("temp_url_expires")
    if signature is None and expires is None:
        return None
    if request.method not in ("GET", "HEAD", "PUT"):
        raise Unauthorized()
    full = unquote(request.path)
    paths = [full, full[len("/object"):] if full.startswith("/object/") else full]
    if not services.tempurl_allows(project_id, container_name, request.method, paths, signature, expires):
        raise Unauthorized()
    return RequestContext.internal(request_id=request.request_id)


def _object_headers(info):
    headers = {"Content-Type": info.content_type, "Etag": info.etag, "X-Timestamp": info.timestamp,
               "Last-Modified": _http_date(info.last_modified), "Accept-Ranges": "bytes"}
    headers.update(_meta_headers(info.metadata))
    if info.record.delete_at:
        headers["X-Delete-At"] = str(info.record.delete_at)
    if info.is_slo:
        headers["X-Static-Large-Object"] = "True"
    if info.is_dlo:
        headers["X-Object-Manifest"] = info.record.dlo_manifest
    return headers


def _etag_matches(header, etag):
    values = [v.strip().strip('"') for v in header.split(",")]
    return "*" in values or etag.strip('"') in values


def _check_conditions(request, info):
    headers = _headers(request)
    last_modified = info.last_modified.replace(microsecond=0)
    if info.last_modified.microsecond:
        # Swift rounds Last-Modified up to the next whole second.
        from datetime import timedelta

        last_modified += timedelta(seconds=1)
    if "if-match" in headers and not _etag_matches(headers["if-match"], info.etag):
        raise PreconditionFailed()
    if "if-none-match" in headers and _etag_matches(headers["if-none-match"], info.etag):
        error = NotModified()
        error.headers = {"Etag": info.etag, "Last-Modified": _http_date(last_modified)}
        raise error
    for name, modified in (("if-modified-since", False), ("if-unmodified-since", True)):
        if name not in headers:
            continue
        try:
            since = parsedate_to_datetime(headers[name])
        except (TypeError, ValueError):
            continue
        if since is None:
            continue
        if not modified and "if-none-match" not in headers and last_modified <= since:
            error = NotModified()
            error.headers = {"Etag": info.etag, "Last-Modified": _http_date(last_modified)}
            raise error
        if modified and last_modified > since:
            raise PreconditionFailed()


def _parse_range(header, size):
    """(start, end exclusive) of a single byte range, None to send everything, or raise 416."""
    if not header or not header.startswith("bytes="):
        return None
    specs = header[len("bytes="):].split(",")
    if len(specs) != 1:
        return None
    first, _, last = specs[0].strip().partition("-")
    try:
        if first == "":
            length = int(last)
            if length <= 0:
                raise ValueError
            start, end = max(size - length, 0), size
        else:
            start = int(first)
            end = int(last) + 1 if last else size
            if end <= start:
                return None
            end = min(end, size)
    except ValueError:
        return None
    if start >= size:
        error = RangeNotSatisfiable()
        error.headers = {"Content-Range": f"bytes */{size}"}
        raise error
    return start, end


def _get_object(request, ctx, project_id, container_name, name, referrer):
    manifest_raw = request.GET.get("multipart-manifest") == "get"
    info, opener = services.open_object(ctx, project_id, container_name, name, referrer,
                                        manifest_raw=manifest_raw)
    headers = _object_headers(info)
    _check_conditions(request, info)
    byte_range = _parse_range(request.headers.get("Range"), info.size)
    status, start, end = 200, 0, info.size
    if byte_range:
        status, (start, end) = 206, byte_range
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{info.size}"
    headers["Content-Length"] = str(end - start)
    if request.method == "HEAD":
        return _response(200, headers=headers, content_type=info.content_type)
    response = StreamingHttpResponse(opener(start, end) if end > start else iter(()), status=status,
                                     content_type=info.content_type)
    for key, value in headers.items():
        response[key] = value
    return response


def _read_small_body(request, limit):
    length = request.META.get("CONTENT_LENGTH")
    stream = request.META["wsgi.input"]
    if length:
        length = int(length)
        if length > limit:
            raise BadRequest("Manifest too large")
        return stream.read(length) if length else b""
    if request.headers.get("Transfer-Encoding", "").lower() == "chunked":
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise BadRequest("Manifest too large")
        return data
    return b""


def _content_length(request):
    raw = request.META.get("CONTENT_LENGTH")
    if raw not in (None, ""):
        try:
            value = int(raw)
        except ValueError:
            raise BadRequest("Invalid Content-Length")
        if value < 0:
            raise BadRequest("Invalid Content-Length")
        return value
    if request.headers.get("Transfer-Encoding", "").lower() == "chunked":
        return None
    raise LengthRequired()


def _split_path(value):
    value = unquote(value).lstrip("/")
    if "/" not in value:
        raise PreconditionFailed("X-Copy-From header must be of the form <container name>/<object name>")
    container_name, _, name = value.partition("/")
    if not name:
        raise PreconditionFailed("X-Copy-From header must be of the form <container name>/<object name>")
    return container_name, name


def _put_object(request, ctx, project_id, container_name, name, referrer):
    headers = _headers(request)
    if request.GET.get("multipart-manifest") == "put":
        body = _read_small_body(request, MAX_MANIFEST)
        info = services.put_slo_manifest(ctx, project_id, container_name, name, body, headers, referrer)
        return _response(201, headers={"Etag": info.etag, "Last-Modified": _http_date(info.last_modified)})
    if "x-copy-from" in headers:
        src_container, src_name = _split_path(headers["x-copy-from"])
        _content_length(request)
        info = services.copy_object(ctx, project_id, src_container, src_name, container_name, name, headers,
                                    referrer)
        return _response(201, headers={"Etag": info.etag, "Last-Modified": _http_date(info.last_modified),
                                       "X-Copied-From": f"{src_container}/{src_name}"})
    length = _content_length(request)
    content_type = headers.get("content-type")
    if headers.get("x-detect-content-type", "").lower() in ("1", "true", "yes", "on"):
        content_type = None
    info = services.put_object(ctx, project_id, container_name, name, request.META["wsgi.input"],
                               content_type=content_type, headers=headers, content_length=length,
                               etag=headers.get("etag"), referrer=referrer)
    return _response(201, headers={"Etag": info.etag, "Last-Modified": _http_date(info.last_modified)})


@swift_view
def object_(request, ctx, project_id, container, obj):
    container_name, name = container, obj
    referrer = request.headers.get("Referer")
    ctx = _tempurl_context(request, project_id, container_name) or ctx
    method = request.method
    if method in ("GET", "HEAD"):
        return _get_object(request, ctx, project_id, container_name, name, referrer)
    if method == "PUT":
        return _put_object(request, ctx, project_id, container_name, name, referrer)
    if method == "POST" and _is_form(request):
        return _form_post(request, project_id, container_name, name)
    if method == "POST":
        services.update_object_metadata(ctx, project_id, container_name, name, _headers(request), referrer)
        return _response(202)
    if method == "DELETE":
        multipart = request.GET.get("multipart-manifest") == "delete"
        services.delete_object(ctx, project_id, container_name, name, referrer, multipart_delete=multipart)
        return _response(204)
    if method == "COPY":
        destination = request.headers.get("Destination")
        if not destination:
            raise PreconditionFailed("You must specify a Destination header")
        dst_container, dst_name = _split_path(destination)
        info = services.copy_object(ctx, project_id, container_name, name, dst_container, dst_name,
                                    _headers(request), referrer)
        return _response(201, headers={"Etag": info.etag, "Last-Modified": _http_date(info.last_modified),
                                       "X-Copied-From": f"{container_name}/{name}"})
    raise MethodNotAllowed()
