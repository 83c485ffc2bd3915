"""Swift's keystoneauth defaults: members (operator roles) read and write their project's account,
readers only read, admins any account; other projects' callers get what container ACLs allow."""

RULES = {
    "object_store:read": "rule:admin_required or (role:reader and project_id:%(project_id)s) "
                         "or (role:member and project_id:%(project_id)s)",
    "object_store:write": "rule:admin_required or (role:member and project_id:%(project_id)s)",
}
