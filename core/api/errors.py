"""Render every error in the calling service's own OpenStack shape, never as a bare 500 page."""

import logging

from django.core.exceptions import ObjectDoesNotExist, ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response

from core import exceptions as exc

log = logging.getLogger(__name__)

NOVA_NAMES = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "methodNotAllowed",
    409: "conflictingRequest",
    413: "overLimit",
    415: "unsupportedMediaType",
    429: "overLimit",
    501: "notImplemented",
}
NEUTRON_TYPES = {
    400: "BadRequest",
    401: "NotAuthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "OverQuota",
    415: "UnsupportedMediaType",
    501: "NotImplemented",
}
PLAIN_TITLES = {
    400: "400 Bad Request",
    401: "401 Unauthorized",
    403: "403 Forbidden",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    409: "409 Conflict",
    411: "411 Length Required",
    412: "412 Precondition Failed",
    413: "413 Request Entity Too Large",
    415: "415 Unsupported Media Type",
    416: "416 Requested Range Not Satisfiable",
    422: "422 Unprocessable Entity",
    500: "500 Internal Server Error",
    501: "501 Not Implemented",
}


def error_body(style, status, message, title=None, error_type=None):
    """(body, content_type) for one error in the given service style."""
    if style == "keystone":
        return {"error": {"code": status, "title": title or PLAIN_TITLES.get(status, "Error")[4:],
                          "message": message}}, "application/json"
    if style in ("nova", "cinder"):
        name = NOVA_NAMES.get(status, "computeFault" if style == "nova" else "internalServerError")
        return {name: {"code": status, "message": message}}, "application/json"
    if style == "neutron":
        return {"NeutronError": {"type": error_type or NEUTRON_TYPES.get(status, "InternalError"),
                                 "message": message, "detail": ""}}, "application/json"
    if style == "heat":
        return {"code": status, "title": title or PLAIN_TITLES.get(status, "Error")[4:],
                "explanation": message,
                "error": {"type": error_type or title or "Error", "message": message,
                          "traceback": None}}, "application/json"
    # glance / swift: a short plain-text page
    heading = PLAIN_TITLES.get(status, f"{status} Error")
    return f"{heading}\n\n{message}\n", "text/plain; charset=UTF-8"


def _convert(error):
    """Map any exception to (status, message, extra headers) or None for a real fault."""
    if isinstance(error, exc.NebulaError):
        return error.status, error.message, getattr(error, "headers", {})
    if isinstance(error, drf.ParseError):
        return 400, f"Malformed request body: {error.detail}", {}
    if isinstance(error, (drf.NotAuthenticated, drf.AuthenticationFailed)):
        return 401, str(error.detail), {}
    if isinstance(error, drf.PermissionDenied):
        return 403, str(error.detail), {}
    if isinstance(error, (drf.NotFound, Http404, ObjectDoesNotExist)):
        return 404, "The resource could not be found.", {}
    if isinstance(error, drf.MethodNotAllowed):
        return 405, str(error.detail), {}
    if isinstance(error, drf.UnsupportedMediaType):
        return 415, str(error.detail), {}
    if isinstance(error, drf.NotAcceptable):
        return 406, str(error.detail), {}
    if isinstance(error, (drf.ValidationError, DjangoValidationError)):
        detail = getattr(error, "detail", None) or getattr(error, "messages", None) or str(error)
        return 400, f"Invalid input: {detail}", {}
    if isinstance(error, IntegrityError):
        return 409, "The request conflicts with the current state of the resource.", {}
    if isinstance(error, drf.APIException):
        return error.status_code, str(error.detail), {}
    return None


def exception_handler(error, context):
    view = context.get("view")
    style = getattr(view, "error_style", "keystone")
    converted = _convert(error)
    if converted is None:
        log.exception("unexpected error in %s", view.__class__.__name__ if view else "API")
        status, message, headers = 500, "An unexpected error prevented the server from fulfilling your request.", {}
    else:
        status, message, headers = converted
    headers = dict(headers)
    if status == 401:
        from django.conf import settings

        headers.setdefault("WWW-Authenticate", f'Keystone uri="{settings.PUBLIC_URL}/identity"')
    title = getattr(error, "title", None) if isinstance(error, exc.NebulaError) else None
    error_type = getattr(error, "error_type", None)
    body, content_type = error_body(style, status, message, title, error_type)
    if isinstance(body, str):
        response = HttpResponse(body, status=status, content_type=content_type)
        for key, value in headers.items():
            response[key] = value
        return response
    return Response(body, status=status, headers=headers)


def json_error_response(style, status, message):
    """For plain Django views (404 handler, middleware) outside DRF."""
    body, content_type = error_body(style, status, message)
    if isinstance(body, str):
        return HttpResponse(body, status=status, content_type=content_type)
    return JsonResponse(body, status=status)
