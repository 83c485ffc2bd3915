"""Swift's statuses beyond the shared ones in core.exceptions."""

from core.exceptions import NebulaError


class NotModified(NebulaError):
    status = 304
    title = "Not Modified"


class LengthRequired(NebulaError):
    status = 411
    title = "Length Required"


class PreconditionFailed(NebulaError):
    status = 412
    title = "Precondition Failed"


class RangeNotSatisfiable(NebulaError):
    status = 416
    title = "Requested Range Not Satisfiable"


class UnprocessableEntity(NebulaError):
    status = 422
    title = "Unprocessable Entity"


class ServiceUnavailable(NebulaError):
    status = 503
    title = "Service Unavailable"
