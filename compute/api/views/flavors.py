"""/flavors, flavor access and extra specs."""

from rest_framework.response import Response

from compute import services
from compute.api import render
from compute.api.views.base import ComputeView
from core.api import paging
from core.exceptions import BadRequest, NotFound


def _is_public(ctx, value):
    if value is None:
        return True
    value = value.lower()
    if value in ("none",):
        return None if ctx.is_admin else True
    if value in ("true", "t", "1", "yes", "y", "on"):
        return True
    if value in ("false", "f", "0", "no", "n", "off"):
        return False
    raise BadRequest(f"Invalid is_public filter [{value}]")


class FlavorListView(ComputeView):
    detail = False

    def get(self, request):
        params = request.query_params
        queryset = services.visible_flavors(self.ctx, _is_public(self.ctx, params.get("is_public")))
        queryset = queryset.filter(disabled=False)
        for param, field in (("minRam", "memory_mb__gte"), ("minDisk", "root_gb__gte")):
            if params.get(param):
                try:
                    queryset = queryset.filter(**{field: int(params[param])})
                except ValueError:
                    raise BadRequest(f"Invalid {param} filter [{params[param]}]") from None
        sort_key = {"flavorid": "flavorid", "id": "flavorid", "name": "name", "memory_mb": "memory_mb",
                    "vcpus": "vcpus", "root_gb": "root_gb", "created_at": "created_at"}.get(
            params.get("sort_key", "flavorid"))
        if sort_key is None:
            raise BadRequest(f"Invalid sort_key {params.get('sort_key')}")
        sort_dir = params.get("sort_dir", "asc")
        if sort_dir not in ("asc", "desc"):
            raise BadRequest(f"Invalid sort_dir {sort_dir}")
        limit, marker = self.limit_marker()
        rows, more = paging.paginate(queryset, limit, marker, [(sort_key, sort_dir)], marker_lookup="flavorid")
        render_one = render.flavor if self.detail else render.flavor_brief
        body = {"flavors": [render_one(request, f) for f in rows]}
        next_links = render.collection_links(request, "flavors" + ("/detail" if self.detail else ""), rows, more,
                                             lambda f: f.flavorid)
        if next_links:
            body["flavors_links"] = next_links
        return Response(body)

    def post(self, request):
        body = self.body("flavor")
        for key in ("name", "ram", "vcpus", "disk"):
            self.member(key, body)
        flavor = services.create_flavor(
            self.ctx, body["name"], body["ram"], body["vcpus"], body["disk"], flavorid=body.get("id"),
            swap=body.get("swap", 0), ephemeral=body.get("OS-FLV-EXT-DATA:ephemeral", 0),
            rxtx_factor=body.get("rxtx_factor", 1.0), is_public=body.get("os-flavor-access:is_public", True),
            description=body.get("description"))
        return Response({"flavor": render.flavor(request, flavor)})


class FlavorDetailListView(FlavorListView):
    detail = True

    def post(self, request):
        raise NotFound("The resource could not be found.")


class FlavorView(ComputeView):
    def get(self, request, flavor_id):
        return Response({"flavor": render.flavor(request, services.get_flavor(self.ctx, flavor_id))})

    def delete(self, request, flavor_id):
        services.delete_flavor(self.ctx, flavor_id)
        return Response(status=202)


class FlavorActionView(ComputeView):
    def post(self, request, flavor_id):
        body = self.body()
        if "addTenantAccess" in body:
            project = self.member("tenant", body["addTenantAccess"])
            access = services.add_flavor_access(self.ctx, flavor_id, project)
        elif "removeTenantAccess" in body:
            project = self.member("tenant", body["removeTenantAccess"])
            access = services.remove_flavor_access(self.ctx, flavor_id, project)
        else:
            raise BadRequest("Unknown flavor action")
        return Response({"flavor_access": [{"flavor_id": flavor_id, "tenant_id": p} for p in access]})


class FlavorAccessView(ComputeView):
    def get(self, request, flavor_id):
        access = services.flavor_access(self.ctx, flavor_id)
        return Response({"flavor_access": [{"flavor_id": flavor_id, "tenant_id": p} for p in access]})


class ExtraSpecsView(ComputeView):
    def get(self, request, flavor_id):
        return Response({"extra_specs": services.get_flavor(self.ctx, flavor_id).extra_specs})

    def post(self, request, flavor_id):
        specs = self.body("extra_specs")
        return Response({"extra_specs": services.set_extra_specs(self.ctx, flavor_id, specs)})


class ExtraSpecView(ComputeView):
    def get(self, request, flavor_id, key):
        specs = services.get_flavor(self.ctx, flavor_id).extra_specs
        if key not in specs:
            raise NotFound(f"Flavor {flavor_id} has no extra specs with key {key}.")
        return Response({key: specs[key]})

    def put(self, request, flavor_id, key):
        body = self.body()
        if list(body) != [key]:
            raise BadRequest("Request body and URI mismatch")
        specs = services.set_extra_specs(self.ctx, flavor_id, body)
        return Response({key: specs[key]})

    def delete(self, request, flavor_id, key):
        services.delete_extra_spec(self.ctx, flavor_id, key)
        return Response(status=200)
