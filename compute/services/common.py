"""Helpers the compute services share: policy, lookups that hide other projects' rows, validation."""

import uuid

from core import policy
from core.exceptions import BadRequest, NotFound


def enforce(ctx, action, target=None):
    policy.enforce(ctx, action, target or {"project_id": ctx.project_id, "user_id": ctx.user_id})


def is_uuid(value):
    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False


def check_name(value, what="name", max_length=255, allow_empty=False):
    if not isinstance(value, str):
        raise BadRequest(f"Invalid input for field/attribute {what}. Value: {value!r}. It must be a string.")
    stripped = value.strip()
    if (not stripped and not allow_empty) or stripped != value or len(value) > max_length:
        raise BadRequest(f"Invalid input for field/attribute {what}. Value: {value!r}. "
                         f"It must be 1-{max_length} characters without leading or trailing whitespace.")
    return value


def check_int(value, what, minimum=0, maximum=2**31 - 1):
    if isinstance(value, bool):
        raise BadRequest(f"Invalid input for field/attribute {what}. Value: {value!r}.")
    try:
        number = int(value)
        if isinstance(value, float) and number != value:
            raise ValueError
    except (TypeError, ValueError):
        raise BadRequest(f"Invalid input for field/attribute {what}. Value: {value!r}. "
                         "It must be an integer.") from None
    if number < minimum or number > maximum:
        raise BadRequest(f"Invalid input for field/attribute {what}. Value: {value!r}. "
                         f"It must be between {minimum} and {maximum}.")
    return number


def check_metadata(value, what="metadata"):
    if not isinstance(value, dict):
        raise BadRequest(f"Invalid input for field/attribute {what}. It must be an object.")
    for key, item in value.items():
        if not isinstance(key, str) or not 1 <= len(key) <= 255:
            raise BadRequest(f"Invalid metadata key {key!r}: 1-255 characters.")
        if not isinstance(item, str) or len(item) > 255:
            raise BadRequest(f"Invalid metadata value for {key!r}: a string of at most 255 characters.")
    return value


def not_found(kind, ident):
    return NotFound(f"{kind} {ident} could not be found.")
