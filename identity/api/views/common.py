"""Helpers every identity view shares: query filters and the Keystone body envelope."""

from rest_framework.response import Response

from core.api.views import OpenStackAPIView
from core.exceptions import BadRequest
from identity.api import render


class IdentityView(OpenStackAPIView):
    error_style = "keystone"

    def filters(self, *names):
        """The given query parameters that are present (last value wins), by name."""
        params = self.request.query_params
        return {name.replace(".", "_"): params.get(name) for name in names if name in params}

    def entity(self, key, *reserved):
        """The {"<key>": {...}} body's object (never carrying names the service functions take positionally)."""
        data = dict(self.body(key))
        for reserved in ("ctx",) + reserved:
            if reserved in data:
                raise BadRequest(f"Unexpected attribute '{reserved}' in {key}.")
        return data

    def listing(self, name, items, renderer, path=None):
        request = self.request
        return Response(render.collection(request, name, [renderer(request, item) for item in items], path))

    def one(self, key, item, renderer, status=200):
        return Response({key: renderer(self.request, item)}, status=status)


def no_content():
    return Response(status=204)


def require_string(value, field):
    if not isinstance(value, str):
        raise BadRequest(f"Invalid input for field '{field}'.")
    return value
