"""Keystone v3 JSON shapes for every identity entity (one place, used by every identity view)."""

from identity.services.tokens import isotime


def base_url(request):
    return f"{request.scheme}://{request.get_host()}/identity/v3"


def _self(request, path):
    return {"self": f"{base_url(request)}/{path}"}


def collection(request, name, items, path=None):
    return {
        name: items,
        "links": {"self": f"{base_url(request)}/{path or name}", "previous": None, "next": None},
    }


def domain(request, d):
    return {
        "id": d.id,
        "name": d.name,
        "description": d.description,
        "enabled": d.enabled,
        "tags": list(d.tags or []),
        "options": dict(d.options or {}),
        "links": _self(request, f"domains/{d.id}"),
    }


def project(request, p):
    return {
        "id": p.id,
        "name": p.name,
        "domain_id": p.domain_id,
        "parent_id": p.parent_id or p.domain_id,
        "description": p.description,
        "enabled": p.enabled,
        "is_domain": False,
        "tags": list(p.tags or []),
        "options": dict(p.options or {}),
        "links": _self(request, f"projects/{p.id}"),
    }


def user(request, u):
    body = {
        "id": u.id,
        "name": u.name,
        "domain_id": u.domain_id,
        "enabled": u.enabled,
        "password_expires_at": isotime(u.password_expires_at),
        "options": dict(u.options or {}),
        "links": _self(request, f"users/{u.id}"),
    }
    if u.default_project_id:
        body["default_project_id"] = u.default_project_id
    if u.email:
        body["email"] = u.email
    if u.description:
        body["description"] = u.description
    body.update({k: v for k, v in (u.extra or {}).items() if k not in body})
    return body


def group(request, g):
    return {
        "id": g.id,
        "name": g.name,
        "domain_id": g.domain_id,
        "description": g.description,
        "links": _self(request, f"groups/{g.id}"),
    }


def role(request, r):
    return {
        "id": r.id,
        "name": r.name,
        "domain_id": r.domain_id,
        "description": r.description,
        "options": dict(r.options or {}),
        "links": _self(request, f"roles/{r.id}"),
    }


def role_ref(request, r):
    return {"id": r.id, "name": r.name, "links": _self(request, f"roles/{r.id}")}


def region(request, r):
    return {
        "id": r.id,
        "description": r.description,
        "parent_region_id": r.parent_region_id,
        "links": _self(request, f"regions/{r.id}"),
    }


def service(request, s):
    return {
        "id": s.id,
        "type": s.type,
        "name": s.name,
        "description": s.description,
        "enabled": s.enabled,
        "links": _self(request, f"services/{s.id}"),
    }


def endpoint(request, e):
    return {
        "id": e.id,
        "service_id": e.service_id,
        "region_id": e.region_id,
        "region": e.region_id,
        "interface": e.interface,
        "url": e.url,
        "enabled": e.enabled,
        "links": _self(request, f"endpoints/{e.id}"),
    }


def application_credential(request, c, secret=None, roles=None):
    body = {
        "id": c.id,
        "name": c.name,
        "description": c.description,
        "user_id": c.user_id,
        "project_id": c.project_id,
        "expires_at": isotime(c.expires_at),
        "unrestricted": c.unrestricted,
        "roles": [{"id": r.id, "name": r.name, "domain_id": r.domain_id}
                  for r in (roles if roles is not None else c.roles.all())],
        "access_rules": list(c.access_rules or []),
        "links": _self(request, f"users/{c.user_id}/application_credentials/{c.id}"),
    }
    if secret is not None:
        body["secret"] = secret
    return body


def _named(obj, with_domain):
    body = {"id": obj.id, "name": obj.name}
    if with_domain and getattr(obj, "domain_id", None):
        body["domain"] = {"id": obj.domain_id, "name": obj.domain.name}
    return body


def assignment_path(row):
    """The grant URL (under /v3) of one RoleAssignment row."""
    actor = f"users/{row.user_id}" if row.user_id else f"groups/{row.group_id}"
    if row.system:
        return f"system/{actor}/roles/{row.role_id}"
    target = f"projects/{row.project_id}" if row.project_id else f"domains/{row.domain_id}"
    if row.inherited:
        return f"OS-INHERIT/{target}/{actor}/roles/{row.role_id}/inherited_to_projects"
    return f"{target}/{actor}/roles/{row.role_id}"


def role_assignment(request, record):
    """Keystone's role assignment entry from a record of identity.services.assignments."""
    base = base_url(request)
    names = record.get("names")

    def ref(kind, object_id, with_domain=True):
        obj = names.get(kind) if names else None
        return _named(obj, with_domain) if obj is not None else {"id": object_id}

    body = {"role": ref("role", record["role_id"])}
    if record["user_id"]:
        body["user"] = ref("user", record["user_id"])
    if record["group_id"]:
        body["group"] = ref("group", record["group_id"])
    if record["system"]:
        scope = {"system": {record["system"]: True}}
    elif record["project_id"]:
        scope = {"project": ref("project", record["project_id"])}
    else:
        scope = {"domain": ref("domain", record["domain_id"], with_domain=False)}
    if record["inherited"]:
        scope["OS-INHERIT:inherited_to"] = "projects"
    body["scope"] = scope
    links = {"assignment": f"{base}/{assignment_path(record['source'])}"}
    if record.get("membership_group_id"):
        links["membership"] = f"{base}/groups/{record['membership_group_id']}/users/{record['user_id']}"
    if record.get("prior_role_id"):
        links["prior_role"] = f"{base}/roles/{record['prior_role_id']}"
    body["links"] = links
    return body
