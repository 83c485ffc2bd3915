"""limits, os-quota-sets, os-server-groups."""

from rest_framework.response import Response

from compute.api import render
from compute.api.views.base import ComputeView
from compute.services import limits, server_groups
from core.exceptions import BadRequest


class LimitsView(ComputeView):
    def get(self, request):
        absolute = limits.absolute_limits(self.ctx, request.query_params.get("tenant_id"))
        return Response({"limits": {"rate": [], "absolute": absolute}})


class QuotaSetView(ComputeView):
    def get(self, request, project_id):
        return Response({"quota_set": {"id": project_id, **limits.quota_set(self.ctx, project_id)}})

    def put(self, request, project_id):
        values = self.body("quota_set")
        result = limits.update_quota_set(self.ctx, project_id, values)
        return Response({"quota_set": result})

    def delete(self, request, project_id):
        limits.reset_quota_set(self.ctx, project_id)
        return Response(status=202)


class QuotaSetDetailView(ComputeView):
    def get(self, request, project_id):
        return Response({"quota_set": {"id": project_id, **limits.quota_set(self.ctx, project_id, detail=True)}})


class QuotaSetDefaultsView(ComputeView):
    def get(self, request, project_id):
        return Response({"quota_set": {"id": project_id, **limits.default_quota_set(self.ctx, project_id)}})


class ServerGroupListView(ComputeView):
    def get(self, request):
        rows = server_groups.list_groups(self.ctx, self.query_flag("all_projects"))
        return Response({"server_groups": [render.server_group(g) for g in rows]})

    def post(self, request):
        body = self.body("server_group")
        policy = body.get("policy")
        if policy is None:
            policies = self.member("policies", body)
            if not isinstance(policies, list) or len(policies) != 1:
                raise BadRequest("Invalid input for field/attribute policies: exactly one policy.")
            policy = policies[0]
        group = server_groups.create_group(self.ctx, self.member("name", body), policy, body.get("rules"))
        return Response({"server_group": render.server_group(group)})


class ServerGroupView(ComputeView):
    def get(self, request, group_id):
        return Response({"server_group": render.server_group(server_groups.get_group(self.ctx, group_id))})

    def delete(self, request, group_id):
        server_groups.delete_group(self.ctx, group_id)
        return Response(status=204)
