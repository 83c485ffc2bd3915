import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser


class ImagePatchParser(BaseParser):
    """Glance's JSON-patch media type for PATCH /v2/images/{id}."""

    media_type = "application/openstack-images-v2.1-json-patch"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            return json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(f"Malformed JSON patch: {error}") from error


class ImagePatchV20Parser(ImagePatchParser):
    media_type = "application/openstack-images-v2.0-json-patch"
