"""Swift container ACLs (the keystoneauth flavour): `.r:<referrer>` rules, `.rlistings`, and
`<project>:<user>` grants with `*` wildcards, by id or name."""

from urllib.parse import urlparse


def parse(text):
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def referrer_allowed(acl_items, referrer):
    rules = [item[3:] for item in acl_items if item.startswith(".r:")]
    if not rules:
        return False
    host = urlparse(referrer or "").hostname or "unknown"
    allow = False
    for rule in rules:
        if rule.startswith("-"):
            rule = rule[1:]
            if rule == host or (rule.startswith(".") and host.endswith(rule)):
                allow = False
        elif rule == "*" or rule == host or (rule.startswith(".") and host.endswith(rule)):
            allow = True
    return allow


def listings_allowed(acl_items):
    return ".rlistings" in acl_items


def grants(acl_items, ctx):
    """Does a `<project>:<user>` entry name this caller?"""
    if ctx is None:
        return False
    projects = {ctx.project_id, ctx.project_name, "*"} - {None}
    users = {ctx.user_id, ctx.user_name, "*"} - {None}
    for item in acl_items:
        if item.startswith("."):
            continue
        if ":" in item:
            project, user = item.split(":", 1)
        else:
            project, user = item, "*"
        if project in projects and user in users and not (project == "*" and user == "*"):
            return True
    return False


def validate(text):
    """Reject what Swift rejects: an ACL must be a comma list of non-empty entries."""
    for item in parse(text):
        if item.startswith(".") and not (item.startswith(".r:") or item == ".rlistings"):
            return f"Unknown ACL element {item!r}"
        if item.startswith(".r:") and len(item) == 3:
            return "Referrer rule without a host"
    return None
