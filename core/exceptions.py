"""Errors raised by service layers; each API renders them in its own service's error shape."""


class NebulaError(Exception):
    status = 500
    title = "Internal Server Error"

    def __init__(self, message=None, **details):
        self.message = message or self.title
        self.details = details
        super().__init__(self.message)


class BadRequest(NebulaError):
    status = 400
    title = "Bad Request"


class Unauthorized(NebulaError):
    status = 401
    title = "Unauthorized"

    def __init__(self, message="The request you have made requires authentication.", **details):
        super().__init__(message, **details)


class Forbidden(NebulaError):
    status = 403
    title = "Forbidden"


class NotFound(NebulaError):
    status = 404
    title = "Not Found"


class MethodNotAllowed(NebulaError):
    status = 405
    title = "Method Not Allowed"


class Conflict(NebulaError):
    status = 409
    title = "Conflict"


class RequestEntityTooLarge(NebulaError):
    status = 413
    title = "Request Entity Too Large"


class UnsupportedMediaType(NebulaError):
    status = 415
    title = "Unsupported Media Type"


class OverLimit(NebulaError):
    """A quota would be exceeded. Nova answers 403 for quota, Cinder 413; the renderer decides."""

    status = 403
    title = "Quota exceeded"


class NotImplementedYet(NebulaError):
    status = 501
    title = "Not Implemented"
