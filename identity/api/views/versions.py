from rest_framework.response import Response

from core.api.views import OpenStackAPIView

UPDATED = "2020-04-07T00:00:00Z"


def version_document(request):
    return {
        "id": "v3.14",
        "status": "stable",
        "updated": UPDATED,
        "links": [{"rel": "self", "href": f"{request.scheme}://{request.get_host()}/identity/v3/"}],
        "media-types": [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}],
    }


class VersionsView(OpenStackAPIView):
    require_auth = False
    authentication_classes = []

    def get(self, request):
        return Response({"versions": {"values": [version_document(request)]}}, status=300)


class V3View(OpenStackAPIView):
    require_auth = False
    authentication_classes = []

    def get(self, request):
        return Response({"version": version_document(request)})
