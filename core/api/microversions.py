"""OpenStack API microversions (Nova, Cinder, …): negotiate from the request headers, echo on the response.

Clients send ``OpenStack-API-Version: <service> X.Y`` (and Nova's legacy ``X-OpenStack-Nova-API-Version``);
``latest`` means the server's maximum; no header means the minimum. Out of range is 406, garbage 400.
"""

import re

from core.exceptions import BadRequest, NebulaError

_VERSION = re.compile(r"^([1-9]\d*)\.(0|[1-9]\d*)$")


class NotAcceptable(NebulaError):
    status = 406
    title = "Not Acceptable"


class APIVersion(tuple):
    """(major, minor), ordered; str() gives 'X.Y'."""

    def __new__(cls, text):
        if isinstance(text, tuple):
            return super().__new__(cls, text)
        match = _VERSION.match(str(text).strip())
        if not match:
            raise BadRequest(f"Version {text} is not valid. A version must be like 2.1 or 'latest'.")
        return super().__new__(cls, (int(match.group(1)), int(match.group(2))))

    def __str__(self):
        return f"{self[0]}.{self[1]}"

    def matches(self, minimum=None, maximum=None):
        return (minimum is None or self >= APIVersion(minimum)) and (maximum is None or self <= APIVersion(maximum))


def requested_version(meta, service_type, legacy_header=None):
    """The version string the request asks for, or None. `meta` is request.META."""
    header = meta.get("HTTP_OPENSTACK_API_VERSION")
    if header:
        for item in header.split(","):
            parts = item.strip().split()
            if len(parts) == 2 and parts[0].lower() == service_type:
                return parts[1]
    if legacy_header:
        value = meta.get("HTTP_" + legacy_header.upper().replace("-", "_"))
        if value:
            return value.strip()
    return None


def negotiate(meta, service_type, minimum, maximum, legacy_header=None):
    minimum, maximum = APIVersion(minimum), APIVersion(maximum)
    wanted = requested_version(meta, service_type, legacy_header)
    if wanted is None:
        return minimum
    if wanted.lower() == "latest":
        return maximum
    version = APIVersion(wanted)
    if not minimum <= version <= maximum:
        raise NotAcceptable(f"Version {version} is not supported by the API. Minimum is {minimum} and maximum "
                            f"is {maximum}.")
    return version


def response_headers(version, service_type, legacy_header=None):
    headers = {"OpenStack-API-Version": f"{service_type} {version}",
               "Vary": "OpenStack-API-Version" + (f", {legacy_header}" if legacy_header else "")}
    if legacy_header:
        headers[legacy_header] = str(version)
    return headers


class MicroversionMixin:
    """For OpenStackAPIView subclasses: sets self.microversion; echoes the headers on every response."""

    microversion_service = "compute"
    microversion_min = "2.1"
    microversion_max = "2.1"
    microversion_legacy_header = None

    def initial(self, request, *args, **kwargs):
        self.microversion = APIVersion(self.microversion_min)
        self.microversion = negotiate(request.META, self.microversion_service, self.microversion_min,
                                      self.microversion_max, self.microversion_legacy_header)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        version = getattr(self, "microversion", None) or APIVersion(self.microversion_min)
        for key, value in response_headers(version, self.microversion_service,
                                           self.microversion_legacy_header).items():
            response[key] = value
        return response

    def at_least(self, version):
        return self.microversion >= APIVersion(version)
