"""Input checks and lookups every identity service function shares (Keystone's answers for bad input)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.exceptions import BadRequest, NotFound

MAX_NAME = 255
FALSE_WORDS = ("0", "false", "no", "off", "f", "n")


def get_or_404(model, object_id, kind=None, queryset=None):
    kind = kind or model.__name__.lower()
    if not isinstance(object_id, str) or not object_id or len(object_id) > 255:
        raise NotFound(f"Could not find {kind}: {object_id}.")
    row = (queryset if queryset is not None else model.objects).filter(pk=object_id).first()
    if row is None:
        raise NotFound(f"Could not find {kind}: {object_id}.")
    return row


def name(value, field="name", required=True):
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"Invalid input for field '{field}': a non-empty string is required.")
    if len(value) > MAX_NAME:
        raise BadRequest(f"Invalid input for field '{field}': longer than {MAX_NAME} characters.")
    return value


def text(value, field, max_length=None):
    """An optional string (None becomes "")."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequest(f"Invalid input for field '{field}': a string is required.")
    if max_length and len(value) > max_length:
        raise BadRequest(f"Invalid input for field '{field}': longer than {max_length} characters.")
    return value


def optional_id(value, field):
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > 64:
        raise BadRequest(f"Invalid input for field '{field}': an id string is required.")
    return value


def boolean(value, field):
    if not isinstance(value, bool):
        raise BadRequest(f"Invalid input for field '{field}': {value!r} is not a boolean.")
    return value


def mapping(value, field):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRequest(f"Invalid input for field '{field}': an object is required.")
    return value


def tags(value, field="tags"):
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > 80:
        raise BadRequest(f"Invalid input for field '{field}': a list of at most 80 strings is required.")
    for tag in value:
        if not isinstance(tag, str) or not tag or len(tag) > 255 or "/" in tag or "," in tag:
            raise BadRequest(f"Invalid tag {tag!r}: 1 to 255 characters, no '/' or ','.")
    return list(dict.fromkeys(value))


def timestamp(value, field):
    """An ISO 8601 time (naive means UTC) or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"Invalid input for field '{field}': an ISO 8601 timestamp is required.")
    try:
        parsed = parse_datetime(value.strip().replace("Z", "+00:00") if value.endswith("Z") else value.strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadRequest(f"Invalid input for field '{field}': {value!r} is not an ISO 8601 timestamp.")
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed


def query_flag(value):
    """Keystone's query booleans: present (even empty) means true unless it says false."""
    if value is None:
        return None
    return str(value).strip().lower() not in FALSE_WORDS


def query_bool(value, field):
    """A ?enabled= filter: true / false, else 400."""
    if value is None:
        return None
    word = str(value).strip().lower()
    if word in ("1", "true", "yes", "on", "t", "y", ""):
        return True
    if word in FALSE_WORDS:
        return False
    raise BadRequest(f"Invalid value for the '{field}' filter: {value!r}.")


def reject_unknown(changes, allowed, what):
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise BadRequest(f"Unknown or read-only attribute for {what}: {', '.join(unknown)}.")


def new_region_id():
    from core.models import new_id

    return new_id()


def enforce(ctx, action, target=None):
    """Keystone's rules name the target as %(target.<kind>.<attr>)s; both spellings resolve."""
    from core import policy

    target = dict(target or {})
    policy.enforce(ctx, action, {**target, "target": target})


def check(ctx, action, target=None):
    from core import policy

    target = dict(target or {})
    return policy.check(ctx, action, {**target, "target": target})


def insert_unique(obj, clash, conflict):
    """Insert obj unless `clash` (a queryset of rows with the same unique name) has one: then raise `conflict`.

    The check gives the clean answer; the savepoint catches a racing request that inserted in between.
    """
    with transaction.atomic():
        if clash.exists():
            raise conflict
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            raise conflict from None
    return obj
