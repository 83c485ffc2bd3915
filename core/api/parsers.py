import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser


class OpenStackJSONParser(BaseParser):
    """JSON bodies as OpenStack clients send them; an empty body is an empty object."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if not raw or not raw.strip():
            return {}
        try:
            return json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(f"Malformed JSON: {error}") from error
