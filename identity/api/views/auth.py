"""/v3/auth/*: issue, validate, check and revoke tokens; the caller's catalog, projects and domains."""

from rest_framework.response import Response

from core.api.views import OpenStackAPIView
from identity.api import render
from identity.services import auth_scopes, tokens
from identity.services.catalog_view import catalog_for


def _flag(request, name):
    value = request.query_params.get(name)
    return value is not None and value.lower() not in ("0", "false", "no")


class TokensView(OpenStackAPIView):
    def get_authenticators(self):
        # POST authenticates with credentials in the body; the others need X-Auth-Token.
        if self.request.method == "POST":
            return []
        return super().get_authenticators()

    def initial(self, request, *args, **kwargs):
        self.require_auth = request.method != "POST"
        super().initial(request, *args, **kwargs)

    def post(self, request):
        auth = self.body("auth")
        token_id, data, info = tokens.authenticate(auth, request_id=request._request.request_id)
        body = tokens.token_body(data, info, with_catalog=not _flag(request, "nocatalog"))
        return Response(body, status=201, headers={"X-Subject-Token": token_id})

    def get(self, request):
        subject = request.META.get("HTTP_X_SUBJECT_TOKEN")
        data, info = tokens.check_subject_token(self.ctx, subject)
        body = tokens.token_body(data, info, with_catalog=not _flag(request, "nocatalog"))
        return Response(body, headers={"X-Subject-Token": subject})

    def head(self, request):
        subject = request.META.get("HTTP_X_SUBJECT_TOKEN")
        tokens.check_subject_token(self.ctx, subject)
        return Response(status=200, headers={"X-Subject-Token": subject})

    def delete(self, request):
        tokens.revoke_token(self.ctx, request.META.get("HTTP_X_SUBJECT_TOKEN"))
        return Response(status=204)


class AuthCatalogView(OpenStackAPIView):
    def get(self, request):
        catalog = catalog_for(self.ctx.project_id) if (
            self.ctx.project_id or self.ctx.domain_id or self.ctx.system_scope) else []
        return Response({"catalog": catalog,
                         "links": {"self": f"{render.base_url(request)}/auth/catalog",
                                   "previous": None, "next": None}})


class AuthProjectsView(OpenStackAPIView):
    def get(self, request):
        projects = auth_scopes.projects_for_caller(self.ctx)
        return Response(render.collection(request, "projects", [render.project(request, p) for p in projects],
                                          "auth/projects"))


class AuthDomainsView(OpenStackAPIView):
    def get(self, request):
        domains = auth_scopes.domains_for_caller(self.ctx)
        return Response(render.collection(request, "domains", [render.domain(request, d) for d in domains],
                                          "auth/domains"))


class AuthSystemView(OpenStackAPIView):
    def get(self, request):
        system = [{"all": True}] if auth_scopes.caller_has_system_roles(self.ctx) else []
        return Response({"system": system,
                         "links": {"self": f"{render.base_url(request)}/auth/system",
                                   "previous": None, "next": None}})
