"""JSON schemas of Glance v2 (GET /v2/schemas/...): what glanceclient and openstacksdk read to learn
the image attributes. Extra properties are strings (additionalProperties)."""

from storage.images.models import Image, ImageMember

UUID_PATTERN = ("^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$")


def _nullable(kind):
    return {"type": ["null", kind]}


def image_schema():
    read_only = {"readOnly": True}
    properties = {
        "id": {"type": "string", "pattern": UUID_PATTERN, "description": "An identifier for the image"},
        "name": {**_nullable("string"), "maxLength": 255, "description": "Descriptive name for the image"},
        "status": {"type": "string", "enum": Image.STATUSES, **read_only, "description": "Status of the image"},
        "visibility": {"type": "string", "enum": Image.VISIBILITIES, "description": "Scope of image accessibility"},
        "protected": {"type": "boolean", "description": "If true, image will not be deletable."},
        "os_hidden": {"type": "boolean", "description": "If true, image will not appear in default image list "
                                                        "response."},
        "checksum": {**_nullable("string"), "maxLength": 32, **read_only, "description": "md5 hash of image contents."},
        "os_hash_algo": {**_nullable("string"), "maxLength": 64, **read_only,
                         "description": "Algorithm to calculate the os_hash_value"},
        "os_hash_value": {**_nullable("string"), "maxLength": 128, **read_only,
                          "description": "Hexdigest of the image contents using the algorithm of os_hash_algo"},
        "owner": {**_nullable("string"), "maxLength": 255, "description": "Owner of the image"},
        "size": {**_nullable("integer"), **read_only, "description": "Size of image file in bytes"},
        "virtual_size": {**_nullable("integer"), **read_only, "description": "Virtual size of image in bytes"},
        "container_format": {**_nullable("string"), "enum": [None] + Image.CONTAINER_FORMATS,
                             "description": "Format of the container"},
        "disk_format": {**_nullable("string"), "enum": [None] + Image.DISK_FORMATS,
                        "description": "Format of the disk"},
        "created_at": {"type": "string", **read_only, "description": "Date and time of image registration"},
        "updated_at": {"type": "string", **read_only, "description": "Date and time of the last image modification"},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 255},
                 "description": "List of strings related to the image"},
        "direct_url": {"type": "string", **read_only, "description": "URL to access the image file kept in "
                                                                      "external store"},
        "min_ram": {"type": "integer", "description": "Amount of ram (in MB) required to boot image."},
        "min_disk": {"type": "integer", "description": "Amount of disk space (in GB) required to boot image."},
        "self": {"type": "string", **read_only, "description": "An image self url"},
        "file": {"type": "string", **read_only, "description": "An image file url"},
        "stores": {"type": "string", **read_only, "description": "Store in which image data resides."},
        "schema": {"type": "string", **read_only, "description": "An image schema url"},
        "locations": {"type": "array", "description": "A set of URLs to access the image file kept in external "
                                                       "store",
                      "items": {"type": "object", "required": ["url", "metadata"],
                                "properties": {"url": {"type": "string", "maxLength": 255},
                                               "metadata": {"type": "object"}}}},
        "kernel_id": {**_nullable("string"), "pattern": UUID_PATTERN, "is_base": False,
                      "description": "ID of the image to use as the kernel when booting an AMI-style image."},
        "ramdisk_id": {**_nullable("string"), "pattern": UUID_PATTERN, "is_base": False,
                       "description": "ID of the image to use as the ramdisk when booting an AMI-style image."},
        "instance_uuid": {"type": "string", "is_base": False,
                          "description": "The server this image was snapshotted from (informational)."},
        "architecture": {"type": "string", "is_base": False, "description": "Operating system architecture"},
        "os_distro": {"type": "string", "is_base": False, "description": "Common name of the OS distribution"},
        "os_version": {"type": "string", "is_base": False, "description": "Operating system version"},
    }
    return {
        "name": "image",
        "properties": properties,
        "additionalProperties": {"type": "string"},
        "links": [{"href": "{self}", "rel": "self"}, {"href": "{file}", "rel": "enclosure"},
                  {"href": "{schema}", "rel": "describedby"}],
    }


def images_schema():
    return {
        "name": "images",
        "properties": {
            "images": {"type": "array", "items": image_schema()},
            "schema": {"type": "string"},
            "first": {"type": "string"},
            "next": {"type": "string"},
        },
        "links": [{"href": "{first}", "rel": "first"}, {"href": "{next}", "rel": "next"},
                  {"href": "{schema}", "rel": "describedby"}],
    }


def member_schema():
    return {
        "name": "member",
        "properties": {
            "created_at": {"type": "string", "description": "Date and time of image member creation"},
            "image_id": {"type": "string", "pattern": UUID_PATTERN, "description": "An identifier for the image"},
            "member_id": {"type": "string", "description": "An identifier for the image member (tenantId)"},
            "status": {"type": "string", "enum": ImageMember.STATUSES, "description": "The status of this image member"},
            "updated_at": {"type": "string", "description": "Date and time of last modification of image member"},
            "schema": {"type": "string", "readOnly": True},
        },
    }


def members_schema():
    return {
        "name": "members",
        "properties": {
            "members": {"type": "array", "items": member_schema()},
            "schema": {"type": "string"},
        },
        "links": [{"href": "{schema}", "rel": "describedby"}],
    }


SCHEMAS = {"image": image_schema, "images": images_schema, "member": member_schema, "members": members_schema}
