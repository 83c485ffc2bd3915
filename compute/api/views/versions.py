"""GET /compute (the versions list) and GET /compute/v2.1 (the version document)."""

from rest_framework.response import Response

from compute.api.render import base_url
from compute.api.views.base import MAX_MICROVERSION, ComputeView

UPDATED = "2013-07-23T11:33:21Z"


def version_doc(request):
    base = base_url(request)
    return {"id": "v2.1", "status": "CURRENT", "version": MAX_MICROVERSION, "min_version": "2.1",
            "updated": UPDATED, "links": [{"rel": "self", "href": f"{base}/v2.1/"},
                                          {"rel": "describedby", "type": "text/html",
                                           "href": "https://docs.openstack.org/"}],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.compute+json;version=2.1"}]}


class VersionsView(ComputeView):
    require_auth = False
    authentication_classes = []

    def get(self, request):
        doc = version_doc(request)
        doc["links"] = doc["links"][:1]
        doc.pop("media-types")
        return Response({"versions": [doc]})


class VersionView(ComputeView):
    require_auth = False
    authentication_classes = []

    def get(self, request):
        return Response({"version": version_doc(request)})
