"""Choices and helpers shared by the Identity panels; everything goes through identity.services."""

from identity.services import assignments, domains, groups, projects, roles, users


def domain_choices(ctx):
    return [(d.id, d.name) for d in domains.list_domains(ctx)]


def domain_names(ctx):
    return {d.id: d.name for d in domains.list_domains(ctx)}


def project_choices(ctx, blank=True):
    choices = [(p.id, p.name) for p in projects.list_projects(ctx)]
    return ([("", "(none)")] if blank else []) + choices


def role_choices(ctx):
    return [(r.id, r.name) for r in roles.list_roles(ctx)]


def user_choices(ctx):
    return [(u.id, u.name) for u in users.list_users(ctx)]


def group_choices(ctx):
    return [(g.id, g.name) for g in groups.list_groups(ctx)]


def assignment_rows(ctx, **filters):
    """Direct role assignments as table rows: id "<role>|<user or group>|<actor id>|<project>"."""
    rows = []
    for record in assignments.list_role_assignments(ctx, include_names=True, **filters):
        if not record["project_id"]:
            continue
        names = record["names"]
        actor_kind = "user" if record["user_id"] else "group"
        actor = names[actor_kind]
        rows.append({
            "id": "|".join([record["role_id"], actor_kind, record["user_id"] or record["group_id"],
                            record["project_id"]]),
            "role": names["role"].name if names["role"] else record["role_id"],
            "actor": actor.name if actor else (record["user_id"] or record["group_id"]),
            "actor_kind": actor_kind.title(),
            "project": names["project"].name if names["project"] else record["project_id"],
            "project_id": record["project_id"],
            "user_id": record["user_id"],
            "group_id": record["group_id"],
        })
    rows.sort(key=lambda r: (r["actor"].lower(), r["role"]))
    return rows


def revoke_assignment(ctx, row_id):
    role_id, actor_kind, actor_id, project_id = row_id.split("|")
    if actor_kind == "user":
        assignments.revoke_role(ctx, role_id, user_id=actor_id, project_id=project_id)
    else:
        assignments.revoke_role(ctx, role_id, group_id=actor_id, project_id=project_id)
