"""Swift's listing formats (json, plain text, xml) and its error pages."""

import json
from xml.sax.saxutils import escape, quoteattr

from storage.objects.services import swift_datetime

ERROR_PAGES = {
    401: ("Unauthorized", "This server could not verify that you are authorized to access the document you requested."),
    403: ("Forbidden", "Access was denied to this resource."),
    404: ("Not Found", "The resource could not be found."),
    405: ("Method Not Allowed", "The method is not allowed for this resource."),
    409: ("Conflict", "There was a conflict when trying to complete your request."),
    411: ("Length Required", "Length Required"),
    412: ("Precondition Failed", "A precondition for this request was not met."),
    413: ("Request Entity Too Large", "The body of your request was too large for this server."),
    416: ("Requested Range Not Satisfiable", "The Range requested is not available."),
    422: ("Unprocessable Entity", "Unable to process the contained instructions"),
    500: ("Internal Error", "The server has either erred or is incapable of performing the requested operation."),
    503: ("Service Unavailable", "The server is currently unavailable. Please try again at a later time."),
}


def error_page(status, message=None):
    """Swift's bodies: an HTML page for the stock statuses, the message itself for 400 and quota 413s."""
    if status in (400, 413, 422) and message and message not in {v[1] for v in ERROR_PAGES.values()}:
        return message, "text/plain; charset=UTF-8"
    title, text = ERROR_PAGES.get(status, ("Error", message or ""))
    return f"<html><h1>{title}</h1><p>{text}</p></html>", "text/html; charset=UTF-8"


def negotiate(request):
    fmt = request.GET.get("format", "").lower()
    if fmt in ("json", "xml", "plain"):
        return fmt
    accept = request.headers.get("Accept", "")
    if "application/json" in accept:
        return "json"
    if "application/xml" in accept or "text/xml" in accept:
        return "xml"
    return "plain"


CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "application/xml; charset=utf-8",
                 "plain": "text/plain; charset=utf-8"}


def container_entry(container):
    return {"name": container.name, "count": container.object_count or 0, "bytes": container.bytes_used or 0,
            "last_modified": swift_datetime(container.updated_at)}


def object_entry(row):
    return {"name": row.name, "hash": row.listing_etag, "bytes": row.size, "content_type": row.content_type,
            "last_modified": swift_datetime(row.last_modified)}


def listing(fmt, entries, entry, root, root_name, item_tag):
    """(body bytes, content type) of a listing."""
    if fmt == "json":
        body = json.dumps([e if isinstance(e, dict) else entry(e) for e in entries])
    elif fmt == "xml":
        parts = ['<?xml version="1.0" encoding="UTF-8"?>', f"<{root} name={quoteattr(root_name)}>"]
        for e in entries:
            if isinstance(e, dict):
                parts.append(f'<subdir name={quoteattr(e["subdir"])}><name>{escape(e["subdir"])}</name></subdir>')
                continue
            fields = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in entry(e).items())
            parts.append(f"<{item_tag}>{fields}</{item_tag}>")
        parts.append(f"</{root}>")
        body = "\n".join(parts)
    else:
        body = "".join((e["subdir"] if isinstance(e, dict) else e.name) + "\n" for e in entries)
    return body.encode(), CONTENT_TYPES[fmt]
