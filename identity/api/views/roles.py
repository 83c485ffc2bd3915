from rest_framework.response import Response

from identity.api import render
from identity.api.views.common import IdentityView, no_content
from identity.services import roles


class RolesView(IdentityView):
    def get(self, request):
        return self.listing("roles", roles.list_roles(self.ctx, **self.filters("name", "domain_id")), render.role)

    def post(self, request):
        return self.one("role", roles.create_role(self.ctx, **self.entity("role")), render.role, 201)


class RoleView(IdentityView):
    def get(self, request, role_id):
        return self.one("role", roles.get_role(self.ctx, role_id), render.role)

    def patch(self, request, role_id):
        return self.one("role", roles.update_role(self.ctx, role_id, **self.entity("role", "role_id")), render.role)

    def delete(self, request, role_id):
        roles.delete_role(self.ctx, role_id)
        return no_content()


def _inference(request, prior, implied):
    return {
        "role_inference": {"prior_role": render.role_ref(request, prior), "implies": render.role_ref(request, implied)},
        "links": {"self": f"{render.base_url(request)}/roles/{prior.id}/implies/{implied.id}"},
    }


class ImpliedRoleView(IdentityView):
    def put(self, request, prior_id, implied_id):
        prior, implied = roles.create_implied_role(self.ctx, prior_id, implied_id)
        return Response(_inference(request, prior, implied), status=201)

    def get(self, request, prior_id, implied_id):
        prior, implied = roles.get_implied_role(self.ctx, prior_id, implied_id)
        return Response(_inference(request, prior, implied))

    def head(self, request, prior_id, implied_id):
        roles.get_implied_role(self.ctx, prior_id, implied_id)
        return no_content()

    def delete(self, request, prior_id, implied_id):
        roles.delete_implied_role(self.ctx, prior_id, implied_id)
        return no_content()


class ImpliedRolesView(IdentityView):
    def get(self, request, prior_id):
        prior, implied = roles.list_implied_roles(self.ctx, prior_id)
        return Response({
            "role_inference": {"prior_role": render.role_ref(request, prior),
                               "implies": [render.role_ref(request, r) for r in implied]},
            "links": {"self": f"{render.base_url(request)}/roles/{prior.id}/implies"},
        })


class RoleInferencesView(IdentityView):
    def get(self, request):
        inferences = roles.list_role_inferences(self.ctx)
        return Response({
            "role_inferences": [{"prior_role": render.role_ref(request, prior),
                                 "implies": [render.role_ref(request, r) for r in implied]}
                                for prior, implied in inferences],
            "links": {"self": f"{render.base_url(request)}/role_inferences", "previous": None, "next": None},
        })
