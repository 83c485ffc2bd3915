"""The service catalog as tokens carry it, cached until the identity generation changes."""

from identity.models import Endpoint, Service
from identity.services.cache import identity_cache

_SUBSTITUTIONS = ("$(project_id)s", "%(project_id)s", "$(tenant_id)s", "%(tenant_id)s")


def _raw_catalog():
    store = identity_cache.store("catalog")
    if "raw" not in store:
        services = {s.id: s for s in Service.objects.filter(enabled=True)}
        entries = {}
        for endpoint in Endpoint.objects.filter(enabled=True, service_id__in=services).order_by("service_id",
                                                                                                 "interface"):
            entries.setdefault(endpoint.service_id, []).append(endpoint)
        store["raw"] = [
            (service, entries.get(service.id, []))
            for service in sorted(services.values(), key=lambda s: (s.type, s.name))
        ]
    return store["raw"]


def _substitute(url, project_id):
    if not any(marker in url for marker in _SUBSTITUTIONS):
        return url
    if not project_id:
        return None
    for marker in _SUBSTITUTIONS:
        url = url.replace(marker, project_id)
    return url


def catalog_for(project_id=None):
    """Keystone's catalog list for a token scoped to project_id (None: project URLs are left out)."""
    store = identity_cache.store("catalog_by_project")
    cached = store.get(project_id)
    if cached is not None:
        return cached
    catalog = []
    for service, endpoints in _raw_catalog():
        rendered = []
        for endpoint in endpoints:
            url = _substitute(endpoint.url, project_id)
            if url is None:
                continue
            rendered.append({
                "id": endpoint.id,
                "interface": endpoint.interface,
                "region_id": endpoint.region_id,
                "region": endpoint.region_id,
                "url": url,
            })
        catalog.append({"id": service.id, "type": service.type, "name": service.name, "endpoints": rendered})
    store[project_id] = catalog
    return catalog
