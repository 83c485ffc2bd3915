"""The image service layer: the only place that changes image state (see images, data, members)."""

from storage.images.services.data import (  # noqa: F401
    download_image, image_for_boot, inspect_disk, open_image_data, reap_stale_uploads, upload_image_data,
)
from storage.images.services.images import (  # noqa: F401
    add_tag, create_image, deactivate_image, delete_image, delete_tag, get_image, image_tags, list_images,
    parse_patch, quota_usage, reactivate_image, set_image_fields, update_image, visible_images,
)
from storage.images.services.members import (  # noqa: F401
    add_member, delete_member, get_member, list_members, update_member,
)
