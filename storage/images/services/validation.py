"""What a client may set on an image, checked as Glance's image schema does."""

import uuid

from core.exceptions import BadRequest, Forbidden, RequestEntityTooLarge
from storage.images.models import Image

MAX_TAGS = 128
MAX_PROPERTY_VALUE = 65535

# Attributes Glance computes itself: setting one is a 403, as in Glance.
READ_ONLY = {"status", "size", "virtual_size", "checksum", "os_hash_algo", "os_hash_value", "created_at",
             "updated_at", "file", "self", "schema", "direct_url", "locations", "stores", "location"}
RESERVED = {"deleted", "deleted_at", "owner_id"}
# Attributes with their own column; everything else is an extra (string) property.
BASE = {"id", "name", "visibility", "owner", "disk_format", "container_format", "min_disk", "min_ram",
        "protected", "os_hidden", "tags"}
AMAZON_FORMATS = {"aki", "ari", "ami"}


def parse_uuid(value, what="id"):
    if not isinstance(value, str):
        raise BadRequest(f"{what} must be a string")
    try:
        return str(uuid.UUID(value)) if len(value) == 36 else None
    except ValueError:
        return None


def _string(name, value, nullable=True, max_length=255):
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"Invalid value for {name}: {value!r} is not a string.")
    if len(value) > max_length:
        raise BadRequest(f"Invalid value for {name}: longer than {max_length} characters.")
    return value


def _integer(name, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(f"Invalid value for {name}: {value!r} is not an integer.")
    if value < 0:
        raise BadRequest(f"Invalid value for {name}: {value} is less than the minimum of 0.")
    if value > 2 ** 31 - 1:
        raise BadRequest(f"Invalid value for {name}: {value} is too large.")
    return value


def _boolean(name, value):
    if not isinstance(value, bool):
        raise BadRequest(f"Invalid value for {name}: {value!r} is not a boolean.")
    return value


def _choice(name, value, choices, nullable=True):
    if value is None and nullable:
        return None
    if value not in choices:
        raise BadRequest(f"Invalid value for {name}: {value!r} is not one of {', '.join(choices)}.")
    return value


def tags(value):
    if not isinstance(value, list):
        raise BadRequest(f"Invalid value for tags: {value!r} is not an array.")
    result = []
    for tag in value:
        tag = _string("tags", tag, nullable=False)
        if not tag:
            raise BadRequest("Invalid value for tags: a tag may not be empty.")
        if tag not in result:
            result.append(tag)
    if len(result) > MAX_TAGS:
        raise RequestEntityTooLarge(f"Maximum number of tags ({MAX_TAGS}) exceeded.")
    return result


def base_value(name, value):
    """The checked value of one base attribute."""
    if name == "name":
        return _string(name, value)
    if name == "owner":
        return _string(name, value)
    if name == "visibility":
        return _choice(name, value, Image.VISIBILITIES, nullable=False)
    if name == "disk_format":
        return _choice(name, value, Image.DISK_FORMATS)
    if name == "container_format":
        return _choice(name, value, Image.CONTAINER_FORMATS)
    if name in ("min_disk", "min_ram"):
        return _integer(name, value)
    if name in ("protected", "os_hidden"):
        return _boolean(name, value)
    if name == "tags":
        return tags(value)
    raise BadRequest(f"Unknown attribute {name}")


def property_name(name):
    if not isinstance(name, str) or not name or len(name) > 255:
        raise BadRequest(f"Invalid property name {name!r}.")
    if name in READ_ONLY:
        raise Forbidden(f"Attribute '{name}' is read-only.")
    if name in RESERVED:
        raise Forbidden(f"Attribute '{name}' is reserved.")
    return name


def property_value(name, value):
    if name in ("kernel_id", "ramdisk_id") and value is not None and not parse_uuid(value, name):
        raise BadRequest(f"Invalid value for {name}: {value!r} is not an image id.")
    if value is None and name in ("kernel_id", "ramdisk_id"):
        return None
    return _string(name, value, nullable=False, max_length=MAX_PROPERTY_VALUE)


def check_format_mix(disk_format, container_format):
    if disk_format in AMAZON_FORMATS or container_format in AMAZON_FORMATS:
        if disk_format and container_format and disk_format != container_format:
            raise BadRequest("Invalid mix of disk and container formats. When setting a disk or container "
                             "format to one of 'aki', 'ari', or 'ami', the container and disk formats must match.")
