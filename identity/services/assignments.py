"""Role grants (user or group; project, domain or system; inherited or not) and GET /v3/role_assignments.

list_role_assignments returns plain records (dicts of ids, with names when asked) that
identity.api.render.role_assignment turns into Keystone's JSON.
"""

from django.db import IntegrityError, transaction

from core.exceptions import BadRequest, Forbidden, NotFound
from identity.models import Domain, Group, Project, Role, RoleAssignment, User
from identity.services import common, revocation
from identity.services.cache import changed


def _resolve(role_id, user_id, group_id, project_id, domain_id, system, inherited):
    """The rows a grant names, each checked to exist (404 otherwise)."""
    if bool(user_id) == bool(group_id):
        raise BadRequest("A grant needs exactly one of a user or a group.")
    targets = [t for t in (project_id, domain_id, system) if t]
    if len(targets) != 1:
        raise BadRequest("A grant needs exactly one of a project, a domain or the system.")
    if system and system != "all":
        raise BadRequest("The only system scope is 'all'.")
    if system and inherited:
        raise BadRequest("System grants cannot be inherited.")
    role = common.get_or_404(Role, role_id, "role")
    user = common.get_or_404(User, user_id, "user") if user_id else None
    group = common.get_or_404(Group, group_id, "group") if group_id else None
    project = common.get_or_404(Project, project_id, "project") if project_id else None
    domain = common.get_or_404(Domain, domain_id, "domain") if domain_id else None
    if role.domain_id:
        scope_domain = project.domain_id if project else (domain.id if domain else None)
        if scope_domain != role.domain_id:
            raise Forbidden("A domain-specific role can only be granted within its domain.")
    return role, user, group, project, domain


def _target(role, user, group, project, domain, system):
    return {
        "role": {"id": role.id, "domain_id": role.domain_id},
        "user": {"id": user.id, "domain_id": user.domain_id} if user else {},
        "group": {"id": group.id, "domain_id": group.domain_id} if group else {},
        "project": {"id": project.id, "domain_id": project.domain_id} if project else {},
        "domain": {"id": domain.id} if domain else {},
        "system": system or "",
    }


def _row_filter(role, user, group, project, domain, system, inherited):
    return dict(role=role, user=user, group=group, project=project, domain=domain, system=system or "",
                inherited=bool(inherited))


def grant_role(ctx, role_id, user_id=None, group_id=None, project_id=None, domain_id=None, system=None,
               inherited=False):
    role, user, group, project, domain = _resolve(role_id, user_id, group_id, project_id, domain_id, system,
                                                  inherited)
    common.enforce(ctx, "identity:create_grant", _target(role, user, group, project, domain, system))
    with transaction.atomic():
        try:
            with transaction.atomic():
                assignment, _created = RoleAssignment.objects.get_or_create(
                    **_row_filter(role, user, group, project, domain, system, inherited))
        except IntegrityError:
            assignment = RoleAssignment.objects.get(**_row_filter(role, user, group, project, domain, system,
                                                                  inherited))
        changed()
    return assignment


def revoke_role(ctx, role_id, user_id=None, group_id=None, project_id=None, domain_id=None, system=None,
                inherited=False):
    role, user, group, project, domain = _resolve(role_id, user_id, group_id, project_id, domain_id, system,
                                                  inherited)
    common.enforce(ctx, "identity:revoke_grant", _target(role, user, group, project, domain, system))
    with transaction.atomic():
        deleted, _ = RoleAssignment.objects.filter(
            **_row_filter(role, user, group, project, domain, system, inherited)).delete()
        if not deleted:
            raise NotFound(f"Could not find role assignment with role: {role.id}.")
        if user is not None and not inherited:
            # Keystone revokes the user's tokens on that target; a group's members lose the role when
            # their roles are recomputed after the generation bump below.
            if project is not None:
                revocation.revoke(user_id=user.id, project_id=project.id)
            elif domain is not None:
                revocation.revoke(user_id=user.id, domain_id=domain.id)
        changed()


def check_grant(ctx, role_id, user_id=None, group_id=None, project_id=None, domain_id=None, system=None,
                inherited=False):
    role, user, group, project, domain = _resolve(role_id, user_id, group_id, project_id, domain_id, system,
                                                  inherited)
    common.enforce(ctx, "identity:check_grant", _target(role, user, group, project, domain, system))
    if not RoleAssignment.objects.filter(**_row_filter(role, user, group, project, domain, system,
                                                       inherited)).exists():
        raise NotFound(f"Could not find role assignment with role: {role.id}.")
    return True


def list_grants(ctx, user_id=None, group_id=None, project_id=None, domain_id=None, system=None, inherited=False):
    """The roles granted directly to one actor on one target."""
    if bool(user_id) == bool(group_id):
        raise BadRequest("A grant needs exactly one of a user or a group.")
    user = common.get_or_404(User, user_id, "user") if user_id else None
    group = common.get_or_404(Group, group_id, "group") if group_id else None
    project = common.get_or_404(Project, project_id, "project") if project_id else None
    domain = common.get_or_404(Domain, domain_id, "domain") if domain_id else None
    target = {
        "user": {"id": user.id, "domain_id": user.domain_id} if user else {},
        "group": {"id": group.id, "domain_id": group.domain_id} if group else {},
        "project": {"id": project.id, "domain_id": project.domain_id} if project else {},
        "domain": {"id": domain.id} if domain else {},
        "system": system or "",
    }
    common.enforce(ctx, "identity:list_grants", target)
    rows = RoleAssignment.objects.filter(user=user, group=group, project=project, domain=domain,
                                         system=system or "", inherited=bool(inherited))
    return list(Role.objects.filter(id__in=rows.values("role_id")).order_by("name"))


# --- GET /v3/role_assignments ------------------------------------------------------------------

def _policy_for_listing(ctx, user_id):
    if common.check(ctx, "identity:list_role_assignments", {}):
        return
    if user_id and common.check(ctx, "identity:list_own_role_assignments", {"user": {"id": user_id}}):
        return
    raise Forbidden("Policy doesn't allow identity:list_role_assignments to be performed.")


def _record(row, **overrides):
    record = {
        "role_id": row.role_id,
        "user_id": row.user_id,
        "group_id": row.group_id,
        "project_id": row.project_id,
        "domain_id": row.domain_id,
        "system": row.system or None,
        "inherited": row.inherited,
        # Where the assignment comes from, for Keystone's links (assignment, membership, prior_role).
        "source": row,
        "membership_group_id": None,
        "prior_role_id": None,
    }
    record.update(overrides)
    return record


def list_role_assignments(ctx, user_id=None, group_id=None, role_id=None, project_id=None, domain_id=None,
                          system=None, inherited_to=None, effective=False, include_names=False,
                          include_subtree=False):
    """Keystone's role assignment listing. Filters are ids; `effective` expands groups, inheritance and
    implied roles into what each user really holds. Returns records (see _record) with names when asked."""
    _policy_for_listing(ctx, user_id)
    if project_id and domain_id:
        raise BadRequest("Specify only one of scope.project.id and scope.domain.id.")
    if effective and group_id:
        raise BadRequest("Combining effective and group filter will always result in an empty list.")
    if include_subtree and not project_id:
        raise BadRequest("include_subtree needs scope.project.id.")
    if inherited_to not in (None, "projects"):
        raise BadRequest("scope.OS-INHERIT:inherited_to must be 'projects'.")
    if system not in (None, "all"):
        raise BadRequest("scope.system must be 'all'.")

    projects = {pid: (parent, dom) for pid, parent, dom in Project.objects.values_list("id", "parent_id", "domain_id")}
    scope_projects = None
    if project_id:
        if project_id not in projects:
            return []
        scope_projects = {project_id}
        if include_subtree:
            scope_projects = _descendants(projects, project_id) | {project_id}

    rows = RoleAssignment.objects.all()
    memberships = {}
    if user_id:
        group_ids = list(Group.objects.filter(members__id=user_id).values_list("id", flat=True))
        if effective:
            from django.db.models import Q

            rows = rows.filter(Q(user_id=user_id) | Q(group_id__in=group_ids))
            memberships = {gid: [user_id] for gid in group_ids}
        else:
            rows = rows.filter(user_id=user_id)
    elif group_id:
        rows = rows.filter(group_id=group_id)
    if not effective:
        if role_id:
            rows = rows.filter(role_id=role_id)
        if inherited_to:
            rows = rows.filter(inherited=True)
        if scope_projects is not None:
            rows = rows.filter(project_id__in=scope_projects)
        if domain_id:
            rows = rows.filter(domain_id=domain_id)
        if system:
            rows = rows.exclude(system="")
        records = [_record(r) for r in rows.order_by("id")]
    else:
        raw = list(rows.order_by("id"))
        if not user_id:
            memberships = {}
            for gid, uid in Group.members.through.objects.values_list("group_id", "user_id"):
                memberships.setdefault(gid, []).append(uid)
        records = _effective(raw, memberships, projects)
        records = _expand_implied(records)
        records = [r for r in records if
                   (not user_id or r["user_id"] == user_id)
                   and (not role_id or r["role_id"] == role_id)
                   and (scope_projects is None or r["project_id"] in scope_projects)
                   and (not domain_id or r["domain_id"] == domain_id)
                   and (not system or r["system"])]
    if include_names:
        _add_names(records)
    return records


def _descendants(projects, project_id):
    children = {}
    for pid, (parent, _dom) in projects.items():
        if parent:
            children.setdefault(parent, []).append(pid)
    result, frontier = set(), [project_id]
    while frontier:
        current = frontier.pop()
        for child in children.get(current, ()):
            if child not in result:
                result.add(child)
                frontier.append(child)
    return result


def _effective(rows, memberships, projects):
    """Groups become their members; inherited assignments become one per project below their target."""
    records = []
    seen = set()
    for row in rows:
        if row.group_id:
            users = [(uid, row.group_id) for uid in memberships.get(row.group_id, ())]
        else:
            users = [(row.user_id, None)]
        if row.inherited:
            if row.domain_id:
                targets = [pid for pid, (_p, dom) in projects.items() if dom == row.domain_id]
            else:
                targets = sorted(_descendants(projects, row.project_id))
            scopes = [{"project_id": pid, "domain_id": None} for pid in sorted(targets)]
        else:
            scopes = [{"project_id": row.project_id, "domain_id": row.domain_id}]
        for uid, via_group in users:
            for scope in scopes:
                key = (row.role_id, uid, scope["project_id"], scope["domain_id"], row.system)
                if key in seen:
                    continue
                seen.add(key)
                records.append(_record(row, user_id=uid, group_id=None, inherited=False,
                                       membership_group_id=via_group, **scope))
    return records


def _expand_implied(records):
    edges = {}
    for prior, implied in Role.implies.through.objects.values_list("from_role_id", "to_role_id"):
        edges.setdefault(prior, set()).add(implied)
    if not edges:
        return records
    result = []
    seen = {(r["role_id"], r["user_id"], r["project_id"], r["domain_id"], r["system"]) for r in records}
    for record in records:
        result.append(record)
        frontier, visited = [record["role_id"]], {record["role_id"]}
        while frontier:
            prior = frontier.pop()
            for implied in edges.get(prior, ()):
                if implied in visited:
                    continue
                visited.add(implied)
                frontier.append(implied)
                key = (implied, record["user_id"], record["project_id"], record["domain_id"], record["system"])
                if key in seen:
                    continue
                seen.add(key)
                result.append({**record, "role_id": implied, "prior_role_id": prior})
    return result


def _add_names(records):
    """Names for every id in the records, one query per kind."""
    def ids(field):
        return {r[field] for r in records if r[field]}

    roles = {r.id: r for r in Role.objects.filter(id__in=ids("role_id")).select_related("domain")}
    users = {u.id: u for u in User.objects.filter(id__in=ids("user_id")).select_related("domain")}
    groups = {g.id: g for g in Group.objects.filter(id__in=ids("group_id")).select_related("domain")}
    projects = {p.id: p for p in Project.objects.filter(id__in=ids("project_id")).select_related("domain")}
    domains = {d.id: d for d in Domain.objects.filter(id__in=ids("domain_id"))}
    for record in records:
        record["names"] = {"role": roles.get(record["role_id"]), "user": users.get(record["user_id"]),
                           "group": groups.get(record["group_id"]), "project": projects.get(record["project_id"]),
                           "domain": domains.get(record["domain_id"])}
