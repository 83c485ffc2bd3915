from rest_framework.response import Response

from core.exceptions import BadRequest
from identity.api import render
from identity.api.views.common import IdentityView, no_content
from identity.services import app_credentials


class ApplicationCredentialsView(IdentityView):
    def get(self, request, user_id):
        items = app_credentials.list_application_credentials(self.ctx, user_id, **self.filters("name"))
        return self.listing("application_credentials", items, render.application_credential,
                            f"users/{user_id}/application_credentials")

    def post(self, request, user_id):
        body = self.entity("application_credential", "credential_id")
        if body.pop("user_id", user_id) != user_id:
            raise BadRequest("user_id in the body differs from the one in the path.")
        credential, secret, roles = app_credentials.create_application_credential(self.ctx, user_id, **body)
        return Response({"application_credential": render.application_credential(request, credential, secret=secret,
                                                                                  roles=roles)}, status=201)


class ApplicationCredentialView(IdentityView):
    def get(self, request, user_id, credential_id):
        credential = app_credentials.get_application_credential(self.ctx, user_id, credential_id)
        return self.one("application_credential", credential, render.application_credential)

    def delete(self, request, user_id, credential_id):
        app_credentials.delete_application_credential(self.ctx, user_id, credential_id)
        return no_content()
