"""Cinder's default rules: members change their project's volumes, readers read, admins do the rest."""

MEMBER = "rule:admin_required or (role:member and project_id:%(project_id)s)"
READER = "rule:admin_required or (role:reader and project_id:%(project_id)s)"
ADMIN = "rule:admin_required"

RULES = {
    "volume:create": MEMBER, "volume:get": READER, "volume:update": MEMBER, "volume:delete": MEMBER,
    "volume:extend": MEMBER, "volume:set_bootable": MEMBER, "volume:reset_status": ADMIN,
    "volume:attach": MEMBER, "volume:all_tenants": ADMIN,
    "volume:snapshot_create": MEMBER, "volume:snapshot_get": READER, "volume:snapshot_delete": MEMBER,
    "volume:snapshot_update": MEMBER,
    "backup:create": MEMBER, "backup:get": READER, "backup:delete": MEMBER, "backup:restore": MEMBER,
    "volume_type:manage": ADMIN, "volume_type:get": "",
    "volume:quota_get": READER, "volume:quota_update": ADMIN,
    "volume:services": ADMIN, "volume:get_pools": ADMIN,
}
