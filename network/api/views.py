"""Neutron v2.0 under /network: one generic collection view and one member view driven by
network.api.resources, plus tags, router interfaces, extensions, quotas and version documents."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework.response import Response

from core.api.paging import paginate, parse_limit, parse_sort
from core.api.views import OpenStackAPIView
from core.exceptions import BadRequest, MethodNotAllowed, NotFound, OverLimit
from network import render
from network.api.resources import EXTENSIONS, RESOURCES
from network.services import quotas as quota_service
from network.services import routers
from network.services import tags as tag_service
from network.services.common import bad_request
from network.models import Network, Port, Router, FloatingIP, SecurityGroup, Subnet

RESERVED_PARAMS = {"fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse", "tags", "tags-any",
                   "not-tags", "not-tags-any", "fixed_ips", "verbose"}
TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")


def _base_url(request):
    return request.build_absolute_uri("/network").rstrip("/")


class NeutronView(OpenStackAPIView):
    error_style = "neutron"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # PostgreSQL cannot store or compare NUL characters: refuse them before they reach a query.
        if "\x00" in request.path or any("\x00" in k or any("\x00" in v for v in request.query_params.getlist(k))
                                         for k in request.query_params):
            raise BadRequest("NUL characters are not allowed in the request.")

    def handle_exception(self, exc):
        if isinstance(exc, OverLimit):
            # Neutron answers an exceeded quota with 409 OverQuota.
            from core.exceptions import Conflict

            converted = Conflict(exc.message)
            converted.error_type = "OverQuota"
            exc = converted
        return super().handle_exception(exc)

    def resource(self):
        resource = RESOURCES.get(self.kwargs["collection"])
        if resource is None:
            raise NotFound("The resource could not be found.")
        return resource

    def show(self, resource, obj):
        """One row rendered, re-read with the prefetches its renderer needs."""
        model = type(obj)
        fresh = render.prefetch_for(model.objects.filter(pk=obj.pk), resource.kind).get()
        return render.RENDERERS[resource.kind](fresh, self.ctx.is_admin)

    def select_fields(self, body):
        fields = [f for f in self.request.query_params.getlist("fields") if f]
        if not fields:
            return body
        return {k: v for k, v in body.items() if k in fields}


def _bool(value, name):
    lowered = str(value).lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise bad_request(f"Invalid input for {name}. Reason: '{value}' is not a valid boolean value.")


def _typed(model, lookup, value, name):
    """The filter value as the column's type; a value the column cannot hold is a 400, not a 500."""
    if "__" in lookup or isinstance(value, bool) or value in ("", None):
        return value
    field = model._meta.get_field(lookup)
    try:
        return field.to_python(value)
    except (DjangoValidationError, ValueError, TypeError):
        raise bad_request(f"Invalid input for {name}: '{value}'.") from None


def _filter(queryset, resource, params):
    for name in params:
        if name in RESERVED_PARAMS:
            continue
        values = [v for v in params.getlist(name)]
        lookup = resource.filters.get(name)
        if lookup is None:
            continue  # Neutron ignores filters on attributes it does not filter by
        if lookup.startswith("bool:"):
            lookup = lookup[5:]
            values = [_bool(v, name) for v in values]
        values = [_typed(queryset.model, lookup, v, name) for v in values]
        if any(v in ("", None) for v in values) and lookup not in ("name", "description", "device_id",
                                                                   "device_owner"):
            values = [v for v in values if v not in ("", None)]
            if not values:
                continue
        queryset = queryset.filter(**{lookup: values[0]}) if len(values) == 1 else \
            queryset.filter(**{f"{lookup}__in": values})
    for item in params.getlist("fixed_ips"):
        key, _, value = item.partition("=")
        if key == "ip_address":
            queryset = queryset.filter(allocations__ip_address=value)
        elif key == "subnet_id":
            queryset = queryset.filter(allocations__subnet_id=value)
        elif key == "ip_address_substr":
            queryset = queryset.filter(allocations__ip_address__contains=value)
        else:
            raise bad_request(f"Invalid fixed_ips filter {item!r}.")
    return queryset.distinct() if params.getlist("fixed_ips") or "security_groups" in params else queryset


def _tag_filter(queryset, params):
    wanted = {k: [t for v in params.getlist(k) for t in v.split(",") if t]
              for k in ("tags", "tags-any", "not-tags", "not-tags-any") if params.getlist(k)}
    if not wanted or not hasattr(queryset.model, "tags"):
        return queryset
    keep = []
    for pk, tags in queryset.values_list("pk", "tags"):
        tags = set(tags or [])
        if "tags" in wanted and not set(wanted["tags"]) <= tags:
            continue
        if "tags-any" in wanted and not set(wanted["tags-any"]) & tags:
            continue
        if "not-tags" in wanted and set(wanted["not-tags"]) <= tags:
            continue
        if "not-tags-any" in wanted and set(wanted["not-tags-any"]) & tags:
            continue
        keep.append(pk)
    return queryset.filter(pk__in=keep)


class CollectionView(NeutronView):
    def get(self, request, collection):
        resource = self.resource()
        queryset = _filter(resource.list(self.ctx), resource, request.query_params)
        queryset = _tag_filter(queryset, request.query_params)
        sortable = {k: v.removeprefix("bool:") for k, v in resource.filters.items()
                    if "__" not in v}
        keys = [sortable.get(k, k) if k in sortable else k for k in request.query_params.getlist("sort_key")]
        if any(k not in sortable.values() for k in keys):
            bad = next(k for k in request.query_params.getlist("sort_key") if k not in sortable)
            raise bad_request(f"{bad} is invalid attribute for sort_key")
        sort = parse_sort(keys, request.query_params.getlist("sort_dir"), set(sortable.values()),
                          default=(("created_at", "asc"),))
        limit = parse_limit(request.query_params.get("limit"))
        if limit == 0:
            limit = None
        marker = request.query_params.get("marker")
        rows, more = paginate(render.prefetch_for(queryset, resource.kind), limit, marker, sort)
        renderer = render.RENDERERS[resource.kind]
        body = {resource.plural: [self.select_fields(renderer(r, self.ctx.is_admin)) for r in rows]}
        if limit is not None:
            links = []
            if more and rows:
                query = request.query_params.copy()
                query["marker"] = rows[-1].pk
                query["limit"] = str(limit)
                links.append({"rel": "next", "href": f"{_base_url(request)}/v2.0/{collection}?{query.urlencode()}"})
            body[f"{resource.plural}_links"] = links
        return Response(body)

    def post(self, request, collection):
        resource = self.resource()
        data = self.body()
        if resource.plural in data and resource.singular not in data:
            items = data[resource.plural]
            if not isinstance(items, list) or not items:
                raise bad_request(f"Invalid input: '{resource.plural}' must be a non-empty list.")
            with transaction.atomic():
                created = [resource.create(self.ctx, self._item(item, resource)) for item in items]
            return Response({resource.plural: [self.show(resource, obj) for obj in created]}, status=201)
        obj = resource.create(self.ctx, self.body(resource.singular))
        return Response({resource.singular: self.show(resource, obj)}, status=201)

    @staticmethod
    def _item(item, resource):
        if not isinstance(item, dict):
            raise BadRequest(f"Each of '{resource.plural}' must be an object.")
        return item.get(resource.singular, item) if isinstance(item.get(resource.singular), dict) else item


class MemberView(NeutronView):
    def get(self, request, collection, ident):
        resource = self.resource()
        obj = resource.get(self.ctx, ident)
        return Response({resource.singular: self.select_fields(self.show(resource, obj))})

    def put(self, request, collection, ident):
        resource = self.resource()
        if resource.update is None:
            raise MethodNotAllowed(f"Updating a {resource.singular} is not supported.")
        obj = resource.update(self.ctx, ident, self.body(resource.singular))
        return Response({resource.singular: self.show(resource, obj)})

    def delete(self, request, collection, ident):
        resource = self.resource()
        resource.delete(self.ctx, ident)
        return Response(status=204)


TAGGABLE = {"networks": Network, "subnets": Subnet, "ports": Port, "routers": Router, "floatingips": FloatingIP,
            "security-groups": SecurityGroup}


class TagsView(NeutronView):
    """/v2.0/<collection>/<id>/tags[/<tag>]: the tag sub-resource (standard-attr-tag)."""

    def _obj(self, collection, ident):
        resource = self.resource()
        if collection not in TAGGABLE:
            raise NotFound("The resource could not be found.")
        return resource, resource.get(self.ctx, ident)

    def get(self, request, collection, ident, tag=None):
        _resource, obj = self._obj(collection, ident)
        if tag is None:
            return Response({"tags": list(obj.tags)})
        if tag not in obj.tags:
            raise NotFound(f"Tag {tag} could not be found for {collection[:-1]} {ident}.")
        return Response(status=204)

    def put(self, request, collection, ident, tag=None):
        resource, obj = self._obj(collection, ident)
        if tag is None:
            return Response({"tags": tag_service.replace_tags(self.ctx, obj, resource.singular,
                                                              self.body().get("tags"))})
        tag_service.add_tag(self.ctx, obj, resource.singular, tag)
        return Response(status=201)

    def delete(self, request, collection, ident, tag=None):
        resource, obj = self._obj(collection, ident)
        tag_service.remove_tag(self.ctx, obj, resource.singular, tag)
        return Response(status=204)


class RouterInterfaceView(NeutronView):
    def put(self, request, ident, action):
        body = self.body()
        if action == "add_router_interface":
            return Response(routers.add_interface(self.ctx, ident, body))
        if action == "remove_router_interface":
            return Response(routers.remove_interface(self.ctx, ident, body))
        if action in ("add_extraroutes", "remove_extraroutes"):
            router = routers.get_router(self.ctx, ident)
            wanted = body.get("router", {}).get("routes") if isinstance(body.get("router"), dict) else None
            if not isinstance(wanted, list):
                raise bad_request("Invalid input: expecting {'router': {'routes': [...]}}.")
            current = [dict(r) for r in router.routes]
            if action == "add_extraroutes":
                routes = current + [r for r in wanted if r not in current]
            else:
                routes = [r for r in current if r not in wanted]
            updated = routers.update_router(self.ctx, ident, {"routes": routes})
            return Response({"router": self.show(RESOURCES["routers"], updated)})
        raise NotFound("The resource could not be found.")


def _extension(alias, name, description):
    return {"alias": alias, "name": name, "description": description, "links": [],
            "updated": "2026-01-01T00:00:00-00:00"}


class ExtensionsView(NeutronView):
    def get(self, request, alias=None):
        if alias is None:
            found = [_extension(*e) for e in EXTENSIONS]
            name = request.query_params.get("name")
            if name:
                found = [e for e in found if e["name"] == name or e["alias"] == name]
            return Response({"extensions": found})
        for entry in EXTENSIONS:
            if entry[0] == alias:
                return Response({"extension": _extension(*entry)})
        raise NotFound(f"Extension with alias {alias} does not exist")


class QuotasView(NeutronView):
    def get(self, request):
        rows = quota_service.projects_with_quotas(self.ctx)
        return Response({"quotas": [{**limits, "project_id": pid, "tenant_id": pid} for pid, limits in rows]})


class QuotaView(NeutronView):
    def get(self, request, project_id, detail=None):
        if detail == "details":
            return Response({"quota": quota_service.details(self.ctx, project_id)})
        if detail == "default":
            return Response({"quota": {**quota_service.defaults(self.ctx), "project_id": project_id}})
        if detail:
            raise NotFound("The resource could not be found.")
        return Response({"quota": quota_service.show(self.ctx, project_id)})

    def put(self, request, project_id, detail=None):
        if detail:
            raise MethodNotAllowed("Method not allowed.")
        limits = quota_service.update(self.ctx, project_id, self.body("quota"))
        return Response({"quota": limits})

    def delete(self, request, project_id, detail=None):
        if detail:
            raise MethodNotAllowed("Method not allowed.")
        quota_service.reset(self.ctx, project_id)
        return Response(status=204)


class VersionsView(NeutronView):
    require_auth = False
    authentication_classes = []

    def get(self, request):
        return Response({"versions": [{"id": "v2.0", "status": "CURRENT",
                                       "links": [{"rel": "self", "href": f"{_base_url(request)}/v2.0/"}]}]})


class V2View(NeutronView):
    def get(self, request):
        names = [(r.singular, r.collection) for r in RESOURCES.values()] + [("quota", "quotas"),
                                                                             ("extension", "extensions")]
        return Response({"resources": [
            {"name": singular, "collection": collection,
             "links": [{"rel": "self", "href": f"{_base_url(request)}/v2.0/{collection}"}]}
            for singular, collection in names]})


class NotFoundView(NeutronView):
    require_auth = False

    def _missing(self, request, *args, **kwargs):
        raise NotFound("The resource could not be found.")

    get = post = put = delete = patch = head = _missing
