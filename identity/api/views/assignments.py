"""Grants (PUT/HEAD/GET/DELETE on .../roles/{role}) and GET /v3/role_assignments."""

from rest_framework.response import Response

from identity.api import render
from identity.api.views.common import IdentityView, no_content
from identity.services import assignments
from identity.services.common import query_flag


def _grant_args(kwargs):
    """Path kwargs (project_id|domain_id|system, user_id|group_id, role_id) as service arguments."""
    args = {key: kwargs.get(key) for key in ("role_id", "user_id", "group_id", "project_id", "domain_id")}
    if kwargs.get("system"):
        args["system"] = "all"
    args["inherited"] = bool(kwargs.get("inherited"))
    return args


class GrantView(IdentityView):
    """/v3/{projects/p|domains/d|system}/{users/u|groups/g}/roles/{r} and the OS-INHERIT forms."""

    inherited = False
    system = False

    def _args(self, kwargs):
        return _grant_args({**kwargs, "inherited": self.inherited, "system": self.system})

    def put(self, request, **kwargs):
        assignments.grant_role(self.ctx, **self._args(kwargs))
        return no_content()

    def head(self, request, **kwargs):
        assignments.check_grant(self.ctx, **self._args(kwargs))
        return no_content()

    get = head

    def delete(self, request, **kwargs):
        assignments.revoke_role(self.ctx, **self._args(kwargs))
        return no_content()


class GrantListView(IdentityView):
    """/v3/{projects/p|domains/d|system}/{users/u|groups/g}/roles (and OS-INHERIT .../inherited_to_projects)."""

    inherited = False
    system = False

    def get(self, request, **kwargs):
        args = _grant_args({**kwargs, "inherited": self.inherited, "system": self.system})
        args.pop("role_id")
        roles = assignments.list_grants(self.ctx, **args)
        return self.listing("roles", roles, render.role, request.path.split("/v3/", 1)[-1])


class RoleAssignmentsView(IdentityView):
    FILTERS = {
        "user.id": "user_id",
        "group.id": "group_id",
        "role.id": "role_id",
        "scope.project.id": "project_id",
        "scope.domain.id": "domain_id",
        "scope.system": "system",
        "scope.OS-INHERIT:inherited_to": "inherited_to",
    }
    FLAGS = ("effective", "include_names", "include_subtree")

    def get(self, request):
        params = request.query_params
        args = {arg: params.get(name) for name, arg in self.FILTERS.items() if params.get(name)}
        for name in self.FLAGS:
            args[name] = bool(query_flag(params.get(name)))
        records = assignments.list_role_assignments(self.ctx, **args)
        return Response({
            "role_assignments": [render.role_assignment(request, r) for r in records],
            "links": {"self": request.build_absolute_uri(), "previous": None, "next": None},
        })
