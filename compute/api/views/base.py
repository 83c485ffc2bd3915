from rest_framework.exceptions import NotAcceptable
from rest_framework.renderers import JSONRenderer

from core.api.microversions import MicroversionMixin
from core.api.views import OpenStackAPIView
from core.exceptions import BadRequest

MAX_MICROVERSION = "2.1"


class ComputeView(MicroversionMixin, OpenStackAPIView):
    error_style = "nova"
    microversion_service = "compute"
    microversion_min = "2.1"
    microversion_max = MAX_MICROVERSION
    microversion_legacy_header = "X-OpenStack-Nova-API-Version"

    def perform_content_negotiation(self, request, force=False):
        # openstacksdk posts server actions with "Accept: " (empty): answer JSON as Nova does.
        try:
            return super().perform_content_negotiation(request, force)
        except NotAcceptable:
            renderer = JSONRenderer()
            return renderer, renderer.media_type

    def query_flag(self, name):
        value = self.request.query_params.get(name)
        return value is not None and value.lower() not in ("0", "false", "no", "")

    def limit_marker(self):
        from core.api import paging

        return paging.parse_limit(self.request.query_params.get("limit")), self.request.query_params.get("marker")

    def member(self, key, container):
        if not isinstance(container, dict) or key not in container:
            raise BadRequest(f"Expecting to find {key} in request body.")
        return container[key]
