"""/v3/domains/{id}/config[/{group}[/{option}]] and /v3/domains/config[/{group}[/{option}]]/default."""

from rest_framework.response import Response

from core.api.views import OpenStackAPIView
from core.exceptions import BadRequest
from identity.services import domain_configs


class DomainConfigView(OpenStackAPIView):
    def _config_body(self):
        body = self.body()
        if "config" not in body:
            raise BadRequest("Expecting to find config in request body.")
        if not isinstance(body["config"], dict):
            raise BadRequest("'config' must be an object.")
        return body["config"]

    def get(self, request, domain_id, group=None, option=None):
        return Response({"config": domain_configs.get_config(self.ctx, domain_id, group, option)})

    def put(self, request, domain_id, group=None, option=None):
        if group is not None:
            # Keystone creates a configuration only whole; groups and options are PATCHed.
            return self.http_method_not_allowed(request)
        config, created = domain_configs.create_config(self.ctx, domain_id, self._config_body())
        return Response({"config": config}, status=201 if created else 200)

    def patch(self, request, domain_id, group=None, option=None):
        config = domain_configs.update_config(self.ctx, domain_id, self._config_body(), group, option)
        return Response({"config": config})

    def delete(self, request, domain_id, group=None, option=None):
        domain_configs.delete_config(self.ctx, domain_id, group, option)
        return Response(status=204)


class DefaultDomainConfigView(OpenStackAPIView):
    def get(self, request, group=None, option=None):
        return Response({"config": domain_configs.default_config(self.ctx, group, option)})
