from identity.api import render
from identity.api.views.common import IdentityView, no_content
from identity.services import catalog


class RegionsView(IdentityView):
    def get(self, request):
        return self.listing("regions", catalog.list_regions(self.ctx, **self.filters("parent_region_id")),
                            render.region)

    def post(self, request):
        return self.one("region", catalog.create_region(self.ctx, **self.entity("region")), render.region, 201)


class RegionView(IdentityView):
    def get(self, request, region_id):
        return self.one("region", catalog.get_region(self.ctx, region_id), render.region)

    def put(self, request, region_id):
        # Keystone's create-with-an-id form.
        body = self.entity("region")
        body["id"] = region_id
        return self.one("region", catalog.create_region(self.ctx, **body), render.region, 201)

    def patch(self, request, region_id):
        return self.one("region", catalog.update_region(self.ctx, region_id, **self.entity("region", "region_id")),
                        render.region)

    def delete(self, request, region_id):
        catalog.delete_region(self.ctx, region_id)
        return no_content()


class ServicesView(IdentityView):
    def get(self, request):
        return self.listing("services", catalog.list_services(self.ctx, **self.filters("type", "name")),
                            render.service)

    def post(self, request):
        return self.one("service", catalog.create_service(self.ctx, **self.entity("service")), render.service, 201)


class ServiceView(IdentityView):
    def get(self, request, service_id):
        return self.one("service", catalog.get_service(self.ctx, service_id), render.service)

    def patch(self, request, service_id):
        return self.one("service", catalog.update_service(self.ctx, service_id, **self.entity("service", "service_id")),
                        render.service)

    def delete(self, request, service_id):
        catalog.delete_service(self.ctx, service_id)
        return no_content()


class EndpointsView(IdentityView):
    def get(self, request):
        filters = self.filters("service_id", "interface", "region_id", "region")
        if "region" in filters:
            filters.setdefault("region_id", filters.pop("region"))
        return self.listing("endpoints", catalog.list_endpoints(self.ctx, **filters), render.endpoint)

    def post(self, request):
        return self.one("endpoint", catalog.create_endpoint(self.ctx, **self.entity("endpoint")), render.endpoint,
                        201)


class EndpointView(IdentityView):
    def get(self, request, endpoint_id):
        return self.one("endpoint", catalog.get_endpoint(self.ctx, endpoint_id), render.endpoint)

    def patch(self, request, endpoint_id):
        endpoint = catalog.update_endpoint(self.ctx, endpoint_id, **self.entity("endpoint", "endpoint_id"))
        return self.one("endpoint", endpoint, render.endpoint)

    def delete(self, request, endpoint_id):
        catalog.delete_endpoint(self.ctx, endpoint_id)
        return no_content()
