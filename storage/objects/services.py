"""The object store's service layer: the only place that changes accounts, containers and objects.

Every function takes a RequestContext (None for an anonymous caller, who gets only what container
ACLs or a TempURL allow). Object bytes go through `store` (ring, quorum, replicas); the matching row
is written in the transaction that follows the quorum write, newest timestamp winning.
"""

import datetime as dt
import hashlib
import hmac
import json
import mimetypes
import time
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum

from core import policy
from core.exceptions import BadRequest, Conflict, Forbidden, NotFound, RequestEntityTooLarge, Unauthorized
from storage.objects import acl, conf, store
from storage.objects.errors import ServiceUnavailable, UnprocessableEntity
from storage.objects.models import Account, Container, ObjectRecord

READ, WRITE = "read", "write"
SLO_MAX_SEGMENTS = 1000
SLO_MIN_SEGMENT_SIZE = 1
MAX_MANIFEST_SIZE = 8 * 1024 * 1024


# -- helpers --------------------------------------------------------------------------------
def now_epoch():
    return int(time.time())


def timestamp_datetime(timestamp):
    return dt.datetime.fromtimestamp(float(timestamp), tz=dt.timezone.utc)


def swift_datetime(value):
    """Swift's listing time: 2026-01-01T00:00:00.000000 (UTC, no zone)."""
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")


def _live(now=None):
    now = now or now_epoch()
    return Q(delete_at__isnull=True) | Q(delete_at__gt=now)


def check_container_name(name):
    if not name or "/" in name or "\x00" in name or len(name) > conf.MAX_CONTAINER_NAME_LENGTH:
        raise BadRequest("Invalid container name" if name else "Container name required")


def check_object_name(name):
    if not name:
        raise BadRequest("Object name required")
    if "\x00" in name:
        raise BadRequest("Object name contains a null character")
    if len(name.encode()) > conf.MAX_OBJECT_NAME_LENGTH:
        raise BadRequest(f"Object name length of {len(name)} longer than {conf.MAX_OBJECT_NAME_LENGTH}")


def check_metadata(headers, prefix):
    for key, value in headers.items():
        if key.startswith(prefix):
            name = key[len(prefix):]
            if not name:
                raise BadRequest("Metadata name cannot be empty")
            if len(name) > conf.MAX_META_NAME_LENGTH:
                raise BadRequest(f"Metadata name too long: {key}")
            if len(value) > conf.MAX_META_VALUE_LENGTH:
                raise BadRequest(f"Metadata value longer than {conf.MAX_META_VALUE_LENGTH}: {key}")


def merge_metadata(current, headers, kind):
    """POST semantics: set `x-<kind>-meta-*`, remove on empty value or `x-remove-<kind>-meta-*`."""
    prefix, remove = f"x-{kind}-meta-", f"x-remove-{kind}-meta-"
    check_metadata(headers, prefix)
    merged = dict(current)
    for key, value in headers.items():
        if key.startswith(prefix):
            if value == "":
                merged.pop(key, None)
            else:
                merged[key] = value
        elif key.startswith(remove):
            merged.pop(prefix + key[len(remove):], None)
    return merged


# -- authorization ----------------------------------------------------------------------------
def _owner_access(ctx, project_id):
    """READ/WRITE/None: what the caller's own roles give on this account (admin: any account)."""
    if ctx is None:
        return None
    target = {"project_id": project_id}
    if policy.check(ctx, "object_store:write", target):
        return WRITE
    if policy.check(ctx, "object_store:read", target):
        return READ
    return None


def _deny(ctx):
    if ctx is None:
        raise Unauthorized("This server could not verify that you are authorized to access the document you requested.")
    raise Forbidden("Access was denied to this resource.")


def authorize_account(ctx, project_id, need):
    access = _owner_access(ctx, project_id)
    if access == WRITE or (access == READ and need == READ):
        return
    _deny(ctx)


def authorize_container(ctx, project_id, container, need, referrer=None, listing=False):
    """Owner roles first, then the container's ACLs (`.r:*` lets anyone read its objects)."""
    access = _owner_access(ctx, project_id)
    if access == WRITE or (access == READ and need == READ):
        return
    if container is not None:
        if need == READ:
            items = acl.parse(container.read_acl)
            if acl.grants(items, ctx):
                return
            if acl.referrer_allowed(items, referrer) and (not listing or acl.listings_allowed(items)):
                return
        else:
            if acl.grants(acl.parse(container.write_acl), ctx):
                return
    _deny(ctx)


# -- accounts -----------------------------------------------------------------------------------
@dataclass
class AccountInfo:
    project_id: str
    metadata: dict
    container_count: int
    object_count: int
    bytes_used: int
    created_at: object = None


def _account(project_id):
    return Account.objects.filter(project_id=project_id).first()


def ensure_account(project_id):
    account, _ = Account.objects.get_or_create(project_id=project_id)
    return account


def account_info(ctx, project_id):
    authorize_account(ctx, project_id, READ)
    account = _account(project_id)
    totals = ObjectRecord.objects.filter(_live(), container__project_id=project_id).aggregate(
        count=Count("id"), bytes=Sum("size"))
    return AccountInfo(project_id, account.metadata if account else {},
                       Container.objects.filter(project_id=project_id).count(),
                       totals["count"] or 0, totals["bytes"] or 0, account.created_at if account else None)


def update_account_metadata(ctx, project_id, headers):
    authorize_account(ctx, project_id, WRITE)
    with transaction.atomic():
        account = ensure_account(project_id)
        account = Account.objects.select_for_update().get(pk=account.pk)
        account.metadata = merge_metadata(account.metadata, headers, "account")
        account.save(update_fields=["metadata"])
    return account


# -- listings -----------------------------------------------------------------------------------
@dataclass
class ListingParams:
    limit: int = conf.LISTING_LIMIT
    marker: str = ""
    end_marker: str = ""
    prefix: str = ""
    delimiter: str = ""
    reverse: bool = False
    path: str | None = None

    @classmethod
    def from_query(cls, query):
        try:
            limit = int(query.get("limit", conf.LISTING_LIMIT))
        except ValueError:
            raise BadRequest("Value of limit must be a positive integer")
        if limit < 0:
            raise BadRequest("Value of limit must be a positive integer")
        if limit > conf.LISTING_LIMIT:
            raise RequestEntityTooLarge(f"Maximum limit is {conf.LISTING_LIMIT}")
        delimiter = query.get("delimiter", "")
        if len(delimiter) > 1:
            raise BadDelimiter()
        reverse = query.get("reverse", "").lower() in ("1", "true", "yes", "on", "t", "y")
        return cls(limit, query.get("marker", ""), query.get("end_marker", ""), query.get("prefix", ""),
                   delimiter, reverse, query.get("path"))


class BadDelimiter(BadRequest):
    def __init__(self):
        super().__init__("Bad delimiter")


def _paged_names(queryset, params, fetch):
    """Swift's listing walk: prefix, marker/end_marker, reverse, and delimiter folding into subdirs.

    `fetch(queryset, limit)` returns rows (objects with .name). Yields rows or {"subdir": ...}."""
    out = []
    prefix, delimiter = params.prefix, params.delimiter
    if params.path is not None:
        prefix = params.path.rstrip("/") + "/" if params.path else ""
        delimiter = "/"
    base = queryset
    if prefix:
        base = base.filter(name__startswith=prefix)
    if params.end_marker:
        base = base.filter(name__gt=params.end_marker) if params.reverse else base.filter(name__lt=params.end_marker)
    marker = params.marker
    order = "-name" if params.reverse else "name"
    while len(out) < params.limit:
        query = base
        if marker:
            query = query.filter(name__lt=marker) if params.reverse else query.filter(name__gt=marker)
        want = params.limit - len(out)
        rows = fetch(query.order_by(order), want if not delimiter else max(want, 100))
        if not rows:
            break
        folded = False
        for row in rows:
            name = row.name
            rest = name[len(prefix):]
            if delimiter and delimiter in rest:
                subdir = prefix + rest[:rest.index(delimiter) + 1]
                if params.path is None:
                    if not (params.marker and not params.reverse and subdir <= params.marker):
                        out.append({"subdir": subdir})
                # Skip everything under this subdir and continue from there.
                marker = subdir if params.reverse else subdir + "\U0010ffff"
                folded = True
                break
            out.append(row)
            marker = name
            if len(out) >= params.limit:
                break
        if not folded and len(rows) < (want if not delimiter else max(want, 100)):
            break
    return out[:params.limit]


def list_containers(ctx, project_id, params):
    authorize_account(ctx, project_id, READ)
    now = now_epoch()
    live = Q(records__delete_at__isnull=True) | Q(records__delete_at__gt=now)
    queryset = Container.objects.filter(project_id=project_id).annotate(
        object_count=Count("records", filter=live), bytes_used=Sum("records__size", filter=live))
    return _paged_names(queryset, params, lambda q, n: list(q[:n]))


def _container(project_id, name):
    container = Container.objects.filter(project_id=project_id, name=name).first()
    if container is None:
        raise NotFound("The resource could not be found.")
    return container


# -- containers ---------------------------------------------------------------------------------
@dataclass
class ContainerInfo:
    container: Container
    object_count: int
    bytes_used: int


def _acl_headers(headers):
    values = {}
    for header, attr in (("x-container-read", "read_acl"), ("x-container-write", "write_acl")):
        if header in headers:
            problem = acl.validate(headers[header])
            if problem:
                raise BadRequest(problem)
            values[attr] = ",".join(acl.parse(headers[header]))
    for key in ("x-remove-container-read", "x-remove-container-write"):
        if key in headers:
            values["read_acl" if key.endswith("read") else "write_acl"] = ""
    return values


def _check_quota_headers(metadata):
    for key in ("x-container-meta-quota-bytes", "x-container-meta-quota-count"):
        if key in metadata:
            try:
                if int(metadata[key]) < 0:
                    raise ValueError
            except ValueError:
                raise BadRequest(f"Invalid {key}: must be a non-negative integer")


def create_container(ctx, project_id, name, headers=None):
    """PUT: create (True) or update the metadata of an existing one (False)."""
    headers = headers or {}
    authorize_account(ctx, project_id, WRITE)
    check_container_name(name)
    acl_values = _acl_headers(headers)
    with transaction.atomic():
        ensure_account(project_id)
        container = Container.objects.select_for_update().filter(project_id=project_id, name=name).first()
        created = container is None
        if created:
            container = Container(project_id=project_id, name=name, timestamp=store.new_timestamp())
        container.metadata = merge_metadata(container.metadata or {}, headers, "container")
        _check_quota_headers(container.metadata)
        for attr, value in acl_values.items():
            setattr(container, attr, value)
        try:
            with transaction.atomic():
                container.save()
        except IntegrityError:
            created = False
            container = Container.objects.get(project_id=project_id, name=name)
    return container, created


def ensure_container(ctx, project_id, container):
    """For other services (volume backups): the container, created if missing."""
    return create_container(ctx, project_id, container)[0]


def container_info(ctx, project_id, name, referrer=None, need=READ, listing=True):
    container = Container.objects.filter(project_id=project_id, name=name).first()
    authorize_container(ctx, project_id, container, need, referrer, listing=listing)
    if container is None:
        raise NotFound("The resource could not be found.")
    totals = container.records.filter(_live()).aggregate(count=Count("id"), bytes=Sum("size"))
    return ContainerInfo(container, totals["count"] or 0, totals["bytes"] or 0)


def update_container(ctx, project_id, name, headers):
    authorize_account(ctx, project_id, WRITE)
    acl_values = _acl_headers(headers)
    with transaction.atomic():
        container = Container.objects.select_for_update().filter(project_id=project_id, name=name).first()
        if container is None:
            raise NotFound("The resource could not be found.")
        container.metadata = merge_metadata(container.metadata, headers, "container")
        _check_quota_headers(container.metadata)
        for attr, value in acl_values.items():
            setattr(container, attr, value)
        container.save()
    return container


def delete_container(ctx, project_id, name):
    authorize_account(ctx, project_id, WRITE)
    container = _container(project_id, name)
    reap_expired(container=container)
    with transaction.atomic():
        container = Container.objects.select_for_update().filter(pk=container.pk).first()
        if container is None:
            raise NotFound("The resource could not be found.")
        if container.records.exists():
            raise Conflict("There was a conflict when trying to complete your request.")
        container.delete()


def list_objects(ctx, project_id, name, params, referrer=None):
    container = Container.objects.filter(project_id=project_id, name=name).first()
    authorize_container(ctx, project_id, container, READ, referrer, listing=True)
    if container is None:
        raise NotFound("The resource could not be found.")
    queryset = container.records.filter(_live()).defer("metadata")
    return container, _paged_names(queryset, params, lambda q, n: list(q[:n]))


# -- objects -------------------------------------------------------------------------------------
@dataclass
class ObjectInfo:
    record: ObjectRecord
    container: Container
    size: int
    etag: str  # what the ETag header carries (quoted for SLO / DLO, as Swift)
    content_type: str
    last_modified: dt.datetime
    timestamp: str
    metadata: dict = field(default_factory=dict)
    manifest: list | None = None  # SLO segments
    dlo_segments: list | None = None

    @property
    def is_slo(self):
        return self.record.kind == ObjectRecord.KIND_SLO

    @property
    def is_dlo(self):
        return self.record.kind == ObjectRecord.KIND_DLO


def _as_chunks(stream, chunk_size=conf.CHUNK_SIZE, length=None):
    """Bytes, a file-like object (read(n)), or an iterable of bytes -> iterable of chunks."""
    if isinstance(stream, (bytes, bytearray)):
        yield bytes(stream)
        return
    if hasattr(stream, "read"):
        remaining = length
        while remaining is None or remaining > 0:
            size = chunk_size if remaining is None else min(chunk_size, remaining)
            chunk = stream.read(size)
            if not chunk:
                break
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk
        return
    for chunk in stream:
        yield chunk


class _QuotaGuard:
    """Counts bytes as they stream so a chunked upload stops at the container's byte quota."""

    def __init__(self, chunks, limit):
        self.chunks, self.limit, self.seen = chunks, limit, 0

    def __iter__(self):
        for chunk in self.chunks:
            self.seen += len(chunk)
            if self.limit is not None and self.seen > self.limit:
                raise RequestEntityTooLarge("Upload exceeds quota.")
            if self.seen > conf.MAX_FILE_SIZE:
                raise RequestEntityTooLarge("Your request is too large.")
            yield chunk


def _quota_room(container, replacing=None):
    """(bytes left or None, objects left or None) under the container's quota metadata."""
    meta = container.metadata
    bytes_quota = meta.get("x-container-meta-quota-bytes")
    count_quota = meta.get("x-container-meta-quota-count")
    if bytes_quota is None and count_quota is None:
        return None, None
    totals = container.records.filter(_live()).exclude(name=replacing or "").aggregate(
        count=Count("id"), bytes=Sum("size"))
    room_bytes = int(bytes_quota) - (totals["bytes"] or 0) if bytes_quota is not None else None
    room_count = int(count_quota) - (totals["count"] or 0) if count_quota is not None else None
    return room_bytes, room_count


def _delete_at(headers, metadata):
    if "x-delete-after" in headers:
        try:
            after = int(headers["x-delete-after"])
        except ValueError:
            raise BadRequest("Non-integer X-Delete-After")
        if after < 0:
            raise BadRequest("X-Delete-After in past")
        return now_epoch() + after
    if "x-delete-at" in headers:
        try:
            at = int(float(headers["x-delete-at"]))
        except ValueError:
            raise BadRequest("Non-integer X-Delete-At")
        if at <= now_epoch():
            raise BadRequest("X-Delete-At in past")
        return at
    return metadata.get("_delete_at")


OBJECT_HEADERS = ("content-disposition", "content-encoding", "content-language", "cache-control", "expires")


def _object_metadata(headers):
    check_metadata(headers, "x-object-meta-")
    meta = {k: v for k, v in headers.items() if k.startswith("x-object-meta-") and v != ""}
    meta.update({k: headers[k] for k in OBJECT_HEADERS if k in headers})
    return meta


def put_object(ctx, project_id, container, name, stream, content_type=None, metadata=None, headers=None,
               content_length=None, etag=None, referrer=None):
    """Store an object from a stream (file-like, bytes or iterable of bytes).

    `metadata`: {"x-object-meta-<name>": value, ...}; `headers`: the rest of a PUT's headers
    (lower case), e.g. x-delete-after, x-object-manifest. Returns the ObjectInfo."""
    headers = dict(headers or {})
    if metadata:
        headers.update({(k if k.startswith("x-object-meta-") else f"x-object-meta-{k}").lower(): v
                        for k, v in metadata.items()})
    check_object_name(name)
    container_row = _container_or_none(project_id, container)
    authorize_container(ctx, project_id, container_row, WRITE, referrer)
    if container_row is None:
        raise NotFound("The resource could not be found.")
    if content_length is not None and content_length > conf.MAX_FILE_SIZE:
        raise RequestEntityTooLarge("Your request is too large.")
    user_meta = _object_metadata(headers)
    delete_at = _delete_at(headers, {})
    manifest = headers.get("x-object-manifest")
    if manifest is not None and ("/" not in manifest.lstrip("/") or manifest.startswith("/")):
        raise BadRequest("X-Object-Manifest must be in the format container/prefix")
    room_bytes, room_count = _quota_room(container_row, replacing=name)
    if room_count is not None and room_count < 1:
        raise RequestEntityTooLarge("Upload exceeds quota.")
    if room_bytes is not None and content_length is not None and content_length > room_bytes:
        raise RequestEntityTooLarge("Upload exceeds quota.")
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    chunks = _QuotaGuard(_as_chunks(stream, length=content_length), room_bytes)
    try:
        data_etag, size, timestamp, _written = store.put(
            project_id, container, name, chunks, {"content_type": content_type},
            expected_size=content_length, expected_etag=etag.strip('"').lower() if etag else None)
    except store.InsufficientStorage as error:
        raise ServiceUnavailable(str(error))
    except store.BodyTooShort as error:
        raise BadRequest(str(error))
    except store.EtagMismatch:
        raise UnprocessableEntity("The provided ETag does not match the data received.")
    kind = ObjectRecord.KIND_DLO if manifest is not None else ObjectRecord.KIND_PLAIN
    return _record(container_row, name, timestamp, size, data_etag, content_type, user_meta, delete_at,
                   kind=kind, dlo_manifest=manifest or "")


def _record(container_row, name, timestamp, size, data_etag, content_type, user_meta, delete_at,
            kind="", slo_etag="", dlo_manifest=""):
    """Write the row for a completed quorum write unless a newer version got there first."""
    values = dict(timestamp=timestamp, size=size, etag=data_etag, content_type=content_type,
                  metadata=user_meta, delete_at=delete_at, kind=kind, slo_etag=slo_etag,
                  dlo_manifest=dlo_manifest, last_modified=timestamp_datetime(timestamp))
    # One conditional UPDATE (newest timestamp wins) or, for a new name, one INSERT; a racing
    # INSERT of the same name loses on the unique constraint and retries as an UPDATE.
    rows = ObjectRecord.objects.filter(container=container_row, name=name)
    for _attempt in range(3):
        if rows.filter(timestamp__lt=timestamp).update(**values):
            break
        try:
            with transaction.atomic():
                ObjectRecord.objects.create(container=container_row, name=name, **values)
            break
        except IntegrityError:
            if rows.filter(timestamp__gte=timestamp).exists():
                break  # a newer (or this very) version is already recorded
            if not Container.objects.filter(pk=container_row.pk).exists():
                # The container went away during the upload: the replicas become garbage that
                # nobody lists; tombstone them rather than leave them behind.
                store.delete(container_row.project_id, container_row.name, name)
                raise NotFound("The resource could not be found.")
    row = ObjectRecord(container=container_row, name=name, **values)
    return _info(row, container_row)


def _info(row, container_row):
    etag = row.etag
    if row.kind == ObjectRecord.KIND_SLO:
        etag = f'"{row.slo_etag}"'
    return ObjectInfo(row, container_row, row.size, etag, row.content_type, row.last_modified,
                      row.timestamp, row.metadata)


def _container_or_none(project_id, name):
    return next(iter(Container.objects.filter(project_id=project_id, name=name)[:1]), None)


def _live_record(container_row, name):
    row = next(iter(container_row.records.filter(name=name)[:1]), None)
    if row is None or (row.delete_at is not None and row.delete_at <= now_epoch()):
        raise NotFound("The resource could not be found.")
    return row


def head_object(ctx, project_id, container, name, referrer=None):
    # One query for the common case (the object exists); the container alone when it does not.
    row = next(iter(ObjectRecord.objects.select_related("container").filter(
        container__project_id=project_id, container__name=container, name=name)[:1]), None)
    container_row = row.container if row is not None else _container_or_none(project_id, container)
    authorize_container(ctx, project_id, container_row, READ, referrer)
    if container_row is None or row is None or (row.delete_at is not None and row.delete_at <= now_epoch()):
        raise NotFound("The resource could not be found.")
    info = _info(row, container_row)
    if info.is_slo:
        info.manifest = _read_manifest(project_id, container, name)
    if info.is_dlo:
        _resolve_dlo(info, project_id)
    return info


def _read_manifest(project_id, container, name):
    result = store.get(project_id, container, name)
    if result is None:
        raise NotFound("The resource could not be found.")
    return json.loads(b"".join(result[1]))


def _resolve_dlo(info, project_id):
    seg_container, _, prefix = info.record.dlo_manifest.partition("/")
    seg_row = Container.objects.filter(project_id=project_id, name=seg_container).first()
    segments = []
    if seg_row is not None:
        segments = list(seg_row.records.filter(_live(), name__startswith=prefix).order_by("name")
                        .values_list("name", "size", "etag"))
    info.dlo_segments = [(seg_container, n, s) for n, s, _e in segments]
    info.size = sum(s for _c, _n, s in info.dlo_segments)
    info.etag = '"%s"' % hashlib.md5("".join(e for _n, _s, e in segments).encode()).hexdigest()


def open_object(ctx, project_id, container, name, referrer=None, manifest_raw=False):
    """(ObjectInfo, opener(start, end) -> iterator of bytes) for GET with optional ranges."""
    info = head_object(ctx, project_id, container, name, referrer)
    if info.is_slo and not manifest_raw:
        segments = [(seg["name"].lstrip("/").split("/", 1), seg["bytes"]) for seg in info.manifest]
        return info, lambda start, end: _concat(project_id, [(c, o, n) for (c, o), n in segments], start, end)
    if info.is_dlo and not manifest_raw:
        return info, lambda start, end: _concat(project_id, info.dlo_segments, start, end)
    if manifest_raw and info.is_slo:
        body = json.dumps(info.manifest).encode()
        info.size, info.content_type = len(body), "application/json; charset=utf-8"
        return info, lambda start, end: iter([body[start:end]])

    def opener(start, end):
        result = store.get(project_id, container, name, start, end, want_timestamp=info.timestamp)
        if result is None:
            raise ServiceUnavailable("No replica of the object could be read.")
        return result[1]

    return info, opener


def _concat(project_id, segments, start, end):
    """The bytes [start, end) of the concatenation of (container, name, size) segments."""
    offset = 0
    end = end if end is not None else sum(s for _c, _n, s in segments)
    for seg_container, seg_name, size in segments:
        seg_start, seg_end = offset, offset + size
        offset = seg_end
        if seg_end <= start or seg_start >= end:
            continue
        result = store.get(project_id, seg_container, seg_name, max(start - seg_start, 0),
                           min(end, seg_end) - seg_start)
        if result is None:
            raise NotFound(f"Segment {seg_container}/{seg_name} is missing")
        yield from result[1]


def get_object(ctx, project_id, container, name):
    """For other services: (ObjectInfo, iterator of the whole object's bytes)."""
    info, opener = open_object(ctx, project_id, container, name)
    return info, opener(0, None)


def update_object_metadata(ctx, project_id, container, name, headers, referrer=None):
    """POST: replaces all user metadata (Swift's fast-post semantics) and expiry."""
    container_row = _container_or_none(project_id, container)
    authorize_container(ctx, project_id, container_row, WRITE, referrer)
    if container_row is None:
        raise NotFound("The resource could not be found.")
    with transaction.atomic():
        row = container_row.records.select_for_update().filter(name=name).first()
        if row is None or (row.delete_at is not None and row.delete_at <= now_epoch()):
            raise NotFound("The resource could not be found.")
        row.metadata = _object_metadata(headers)
        if "x-remove-delete-at" in headers:
            row.delete_at = None
        else:
            row.delete_at = _delete_at(headers, {"_delete_at": row.delete_at})
        if headers.get("content-type"):
            row.content_type = headers["content-type"]
        row.save()
    return _info(row, container_row)


def delete_object(ctx, project_id, container, name, referrer=None, multipart_delete=False):
    container_row = _container_or_none(project_id, container)
    authorize_container(ctx, project_id, container_row, WRITE, referrer)
    if container_row is None:
        raise NotFound("The resource could not be found.")
    row = _live_record(container_row, name)
    segments = []
    if multipart_delete and row.kind == ObjectRecord.KIND_SLO:
        segments = [seg["name"].lstrip("/").split("/", 1) for seg in _read_manifest(project_id, container, name)]
    _remove(project_id, container_row, row)
    for seg_container, seg_name in segments:
        seg_row = Container.objects.filter(project_id=project_id, name=seg_container).first()
        if seg_row is None:
            continue
        seg_record = seg_row.records.filter(name=seg_name).first()
        if seg_record is not None:
            _remove(project_id, seg_row, seg_record)
    return len(segments)


def _remove(project_id, container_row, row):
    try:
        timestamp = store.delete(project_id, container_row.name, row.name)
    except store.InsufficientStorage as error:
        raise ServiceUnavailable(str(error))
    with transaction.atomic():
        container_row.records.filter(pk=row.pk, timestamp__lt=timestamp).delete()


def copy_object(ctx, project_id, src_container, src_name, dst_container, dst_name, headers=None,
                referrer=None):
    """COPY / PUT with X-Copy-From: the source's bytes (manifests resolved) and metadata, overlaid
    with the request's metadata unless X-Fresh-Metadata."""
    headers = dict(headers or {})
    info, opener = open_object(ctx, project_id, src_container, src_name, referrer)
    fresh = headers.get("x-fresh-metadata", "").lower() in ("1", "true", "yes", "on")
    metadata = {} if fresh else dict(info.metadata)
    metadata.update(_object_metadata(headers))
    new_headers = {k: v for k, v in headers.items() if k in ("x-delete-at", "x-delete-after")}
    new_headers.update(metadata)
    content_type = headers.get("content-type") or info.content_type
    return put_object(ctx, project_id, dst_container, dst_name, opener(0, None), content_type=content_type,
                      headers=new_headers, content_length=info.size, referrer=referrer)


# -- static large objects -------------------------------------------------------------------------
def put_slo_manifest(ctx, project_id, container, name, body, headers=None, referrer=None):
    headers = dict(headers or {})
    container_row = _container_or_none(project_id, container)
    authorize_container(ctx, project_id, container_row, WRITE, referrer)
    if container_row is None:
        raise NotFound("The resource could not be found.")
    try:
        segments = json.loads(body)
    except ValueError:
        raise BadRequest("Manifest must be valid JSON.")
    if not isinstance(segments, list) or not segments or len(segments) > SLO_MAX_SEGMENTS:
        raise BadRequest(f"Manifest must be a list of 1 to {SLO_MAX_SEGMENTS} segments.")
    manifest, errors = [], []
    for index, segment in enumerate(segments):
        if not isinstance(segment, dict) or not isinstance(segment.get("path"), str) or \
                "/" not in segment["path"].lstrip("/"):
            raise BadRequest(f"Index {index}: segment must have a path container/object.")
        seg_container, seg_name = segment["path"].lstrip("/").split("/", 1)
        seg_row = Container.objects.filter(project_id=project_id, name=seg_container).first()
        record = seg_row.records.filter(_live(), name=seg_name).first() if seg_row else None
        if record is None:
            errors.append(f"{segment['path']}, 404 Not Found")
            continue
        etag = segment.get("etag")
        if etag and etag.strip('"') != record.listing_etag:
            errors.append(f"{segment['path']}, Etag Mismatch")
        size = segment.get("size_bytes")
        if size is not None and (not isinstance(size, int) or size != record.size):
            errors.append(f"{segment['path']}, Size Mismatch")
        manifest.append({"name": f"/{seg_container}/{seg_name}", "hash": record.listing_etag,
                         "bytes": record.size, "content_type": record.content_type,
                         "last_modified": swift_datetime(record.last_modified)})
    if errors:
        raise BadRequest("Errors:\n" + "\n".join(errors))
    whole_etag = hashlib.md5("".join(seg["hash"] for seg in manifest).encode()).hexdigest()
    expected = headers.get("etag")
    if expected and expected.strip('"') != whole_etag:
        raise UnprocessableEntity("The provided ETag does not match the manifest's.")
    total = sum(seg["bytes"] for seg in manifest)
    content_type = headers.get("content-type") or mimetypes.guess_type(name)[0] or "application/octet-stream"
    data = json.dumps(manifest).encode()
    try:
        data_etag, _size, timestamp, _ = store.put(project_id, container, name, [data],
                                                   {"content_type": "application/json", "slo": True})
    except store.InsufficientStorage as error:
        raise ServiceUnavailable(str(error))
    return _record(container_row, name, timestamp, total, data_etag, content_type,
                   _object_metadata(headers), _delete_at(headers, {}), kind=ObjectRecord.KIND_SLO,
                   slo_etag=whole_etag)


# -- TempURL ----------------------------------------------------------------------------------------
def _signing_keys(project_id, container):
    keys = []
    account = _account(project_id)
    if account:
        keys += [account.metadata.get(k) for k in ("x-account-meta-temp-url-key", "x-account-meta-temp-url-key-2")]
    container_row = _container_or_none(project_id, container)
    if container_row:
        keys += [container_row.metadata.get(k) for k in
                 ("x-container-meta-temp-url-key", "x-container-meta-temp-url-key-2")]
    return [k for k in keys if k]


def _signature_matches(keys, messages, signature):
    """Is `signature` (hex SHA1/SHA256/SHA512, or `<algo>:<base64>`) the HMAC of one of `messages`
    with one of `keys`?"""
    import base64

    if not keys or not signature:
        return False
    if ":" in signature:
        algo, _, encoded = signature.partition(":")
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except ValueError:
            return False
        signature = raw.hex()
    else:
        algo = {40: "sha1", 64: "sha256", 128: "sha512"}.get(len(signature))
    if algo not in ("sha1", "sha256", "sha512"):
        return False
    for key in keys:
        for message in messages:
            expected = hmac.new(key.encode(), message.encode(), algo).hexdigest()
            if hmac.compare_digest(expected, signature.lower()):
                return True
    return False


def _not_expired(expires):
    try:
        return int(expires) >= now_epoch()
    except (TypeError, ValueError):
        return False


def tempurl_allows(project_id, container, method, paths, signature, expires):
    """Is `signature` a valid HMAC of "METHOD\nexpires\npath" with one of the account's or
    container's Temp-URL keys (HEAD also accepts GET and PUT signatures, as Swift)?"""
    if not _not_expired(expires):
        return False
    methods = [method] + (["GET", "PUT"] if method == "HEAD" else [])
    messages = [f"{m}\n{int(expires)}\n{path}" for path in paths for m in methods]
    return _signature_matches(_signing_keys(project_id, container), messages, signature)


def form_post(project_id, container, prefix, paths, fields, files):
    """Swift's form POST: browser uploads signed with the Temp-URL key over
    "path\nredirect\nmax_file_size\nmax_file_count\nexpires". Returns the names stored."""
    try:
        max_file_size = int(fields.get("max_file_size", ""))
        max_file_count = int(fields.get("max_file_count", ""))
    except ValueError:
        raise BadRequest("FormPost: max_file_size and max_file_count must be integers")
    expires = fields.get("expires", "")
    if not _not_expired(expires):
        raise Unauthorized("FormPost: Form Expired")
    messages = [f"{path}\n{fields.get('redirect', '')}\n{max_file_size}\n{max_file_count}\n{expires}"
                for path in paths]
    if not _signature_matches(_signing_keys(project_id, container), messages, fields.get("signature", "")):
        raise Unauthorized("FormPost: Invalid Signature")
    if len(files) > max_file_count:
        raise BadRequest("FormPost: max_file_count exceeded")
    from core.context import RequestContext

    ctx = RequestContext.internal()
    headers = {k.replace("_", "-"): v for k, v in fields.items() if k in ("x_delete_at", "x_delete_after")}
    stored = []
    for upload in files:
        if upload.size > max_file_size:
            raise BadRequest("FormPost: max_file_size exceeded")
        name = prefix + upload.name
        put_object(ctx, project_id, container, name, upload, content_type=upload.content_type or None,
                   headers=headers, content_length=upload.size)
        stored.append(name)
    return stored


# -- expiry -------------------------------------------------------------------------------------------
def reap_expired(container=None, limit=1000):
    """Delete objects whose X-Delete-At has passed (replicas get tombstones, rows go)."""
    queryset = ObjectRecord.objects.filter(delete_at__lte=now_epoch()).select_related("container")
    if container is not None:
        queryset = queryset.filter(container=container)
    reaped = 0
    for row in queryset[:limit]:
        try:
            _remove(row.container.project_id, row.container, row)
            reaped += 1
        except ServiceUnavailable:
            continue
    return reaped
