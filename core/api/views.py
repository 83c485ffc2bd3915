"""The base of every OpenStack-compatible API view: authentication, error style, body helpers."""

from rest_framework.views import APIView

from core.exceptions import BadRequest, Unauthorized


class OpenStackAPIView(APIView):
    error_style = "keystone"
    require_auth = True

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.require_auth and request.auth is None:
            raise Unauthorized()

    @property
    def ctx(self):
        return self.request.auth

    def body(self, key=None, required=True):
        """The JSON body (or its `key` member), checked to be an object."""
        data = self.request.data
        if not isinstance(data, dict):
            raise BadRequest("The request body must be a JSON object.")
        if key is None:
            return data
        if key not in data:
            if required:
                raise BadRequest(f"Expecting to find {key} in request body.")
            return {}
        value = data[key]
        if not isinstance(value, dict):
            raise BadRequest(f"'{key}' must be an object.")
        return value
