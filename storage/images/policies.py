"""Glance's default rules. Visibility (who may see an image at all) is checked by the service layer;
these rules say who may change what. Only admins publicize images, as in Glance."""

OWNER_OR_ADMIN = "rule:admin_required or (role:member and project_id:%(project_id)s)"

RULES = {
    "image:get_image": "",
    "image:get_images": "",
    "image:add_image": "rule:admin_required or role:member",
    "image:modify_image": OWNER_OR_ADMIN,
    "image:delete_image": OWNER_OR_ADMIN,
    "image:upload_image": OWNER_OR_ADMIN,
    "image:download_image": "",
    "image:publicize_image": "rule:admin_required",
    "image:communitize_image": OWNER_OR_ADMIN,
    "image:set_owner": "rule:admin_required",
    "image:deactivate": "rule:admin_required",
    "image:reap_uploads": "rule:admin_required",
    "image:reactivate": "rule:admin_required",
    "image:add_member": OWNER_OR_ADMIN,
    "image:delete_member": OWNER_OR_ADMIN,
    "image:get_members": "",
    # A member project answers for itself (accept / reject); the owner cannot answer for it.
    "image:modify_member": "rule:admin_required or (role:member and project_id:%(member_id)s)",
}
