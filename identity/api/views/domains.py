from identity.api import render
from identity.api.views.common import IdentityView, no_content
from identity.services import domains


class DomainsView(IdentityView):
    def get(self, request):
        return self.listing("domains", domains.list_domains(self.ctx, **self.filters("name", "enabled")),
                            render.domain)

    def post(self, request):
        return self.one("domain", domains.create_domain(self.ctx, **self.entity("domain")), render.domain, 201)


class DomainView(IdentityView):
    def get(self, request, domain_id):
        return self.one("domain", domains.get_domain(self.ctx, domain_id), render.domain)

    def patch(self, request, domain_id):
        domain = domains.update_domain(self.ctx, domain_id, **self.entity("domain", "domain_id"))
        return self.one("domain", domain, render.domain)

    def delete(self, request, domain_id):
        domains.delete_domain(self.ctx, domain_id)
        return no_content()
