"""/os-keypairs: import or generate."""

from rest_framework.response import Response

from compute import services
from compute.api import render
from compute.api.views.base import ComputeView


class KeyPairListView(ComputeView):
    def get(self, request):
        rows = services.list_keypairs(self.ctx, request.query_params.get("user_id"))
        return Response({"keypairs": [{"keypair": render.keypair_brief(k)} for k in rows]})

    def post(self, request):
        body = self.body("keypair")
        keypair, private = services.create_keypair(self.ctx, self.member("name", body), body.get("public_key"),
                                                   body.get("type", "ssh"))
        result = {**render.keypair_brief(keypair), "user_id": keypair.user_id}
        if private:
            result["private_key"] = private
        return Response({"keypair": result}, status=200)


class KeyPairView(ComputeView):
    def get(self, request, name):
        return Response({"keypair": render.keypair(services.get_keypair(self.ctx, name,
                                                                        request.query_params.get("user_id")))})

    def delete(self, request, name):
        services.delete_keypair(self.ctx, name, request.query_params.get("user_id"))
        return Response(status=202)
