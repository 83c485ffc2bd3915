from core.context import new_request_id


class RequestIdMiddleware:
    """Every response carries an OpenStack request id (x-openstack-request-id, req-<uuid>)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = new_request_id()
        response = self.get_response(request)
        response["x-openstack-request-id"] = request.request_id
        return response
