"""Effective roles: direct, through groups, inherited from domains and parent projects, implied."""

from django.db.models import Q

from identity.models import Project, Role, RoleAssignment


def implied_closure(role_ids):
    """Role ids plus every role they imply, transitively."""
    result = set(role_ids)
    frontier = set(role_ids)
    edges = {}
    for prior, implied in Role.implies.through.objects.values_list("from_role_id", "to_role_id"):
        edges.setdefault(prior, set()).add(implied)
    while frontier:
        nxt = set()
        for role_id in frontier:
            for implied in edges.get(role_id, ()):
                if implied not in result:
                    result.add(implied)
                    nxt.add(implied)
        frontier = nxt
    return result


def user_group_ids(user_id):
    from identity.models import Group

    return list(Group.objects.filter(members__id=user_id).values_list("id", flat=True))


def _actor_q(user_id):
    return Q(user_id=user_id) | Q(group_id__in=user_group_ids(user_id))


def project_lineage(project):
    """The project's ancestors, nearest first (not the project itself)."""
    chain = []
    seen = {project.id}
    parent_id = project.parent_id
    while parent_id and parent_id not in seen:
        seen.add(parent_id)
        parent = Project.objects.only("id", "parent_id").get(id=parent_id)
        chain.append(parent)
        parent_id = parent.parent_id
    return chain


def direct_role_ids_on_project(user_id, project):
    actor = _actor_q(user_id)
    ancestors = [p.id for p in project_lineage(project)]
    target = (
        Q(project_id=project.id, inherited=False)
        | Q(project_id__in=ancestors, inherited=True)
        | Q(domain_id=project.domain_id, inherited=True)
    )
    return set(RoleAssignment.objects.filter(actor & target).values_list("role_id", flat=True))


def direct_role_ids_on_domain(user_id, domain_id):
    return set(RoleAssignment.objects.filter(_actor_q(user_id) & Q(domain_id=domain_id, inherited=False))
               .values_list("role_id", flat=True))


def direct_role_ids_on_system(user_id):
    return set(RoleAssignment.objects.filter(_actor_q(user_id) & ~Q(system=""))
               .values_list("role_id", flat=True))


def roles_for(role_ids):
    """[(id, name)] for the closure of role_ids, sorted by name."""
    ids = implied_closure(role_ids)
    return sorted(Role.objects.filter(id__in=ids).values_list("id", "name"), key=lambda r: r[1])


def projects_with_roles(user_id):
    """Projects where the user has any role (directly, by group or inherited)."""
    actor = _actor_q(user_id)
    rows = list(RoleAssignment.objects.filter(actor).values_list("project_id", "domain_id", "inherited"))
    direct = {p for p, _d, inh in rows if p and not inh}
    inherited_projects = {p for p, _d, inh in rows if p and inh}
    inherited_domains = {d for _p, d, inh in rows if d and inh}
    ids = set(direct)
    if inherited_domains:
        ids |= set(Project.objects.filter(domain_id__in=inherited_domains).values_list("id", flat=True))
    if inherited_projects:
        frontier = set(inherited_projects)
        while frontier:
            children = set(Project.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
            frontier = children - ids
            ids |= children
    return ids


def domains_with_roles(user_id):
    return set(RoleAssignment.objects.filter(_actor_q(user_id) & Q(domain__isnull=False, inherited=False))
               .values_list("domain_id", flat=True))
