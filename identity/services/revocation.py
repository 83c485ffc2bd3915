"""Revocation events: the only state a Fernet token's validity depends on besides its own bytes."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from identity.models import RevocationEvent
from identity.services.cache import changed, identity_cache

_FIELDS = ("user_id", "project_id", "domain_id", "audit_id", "application_credential_id")


def revoke(**match):
    """Record that tokens matching every given field, issued until now, are no longer valid."""
    fields = {k: v for k, v in match.items() if k in _FIELDS and v}
    if not fields:
        raise ValueError("a revocation event needs at least one field")
    RevocationEvent.objects.create(issued_before=timezone.now(), **fields)
    changed()


def _index():
    """{"audit": {audit_id: issued_before}, "other": {field tuple: issued_before}} of live events."""
    store = identity_cache.store("revocations")
    index = store.get("index")
    if index is None:
        horizon = timezone.now() - dt.timedelta(seconds=settings.TOKEN_EXPIRATION)
        index = {"audit": {}, "other": {}}
        for event in RevocationEvent.objects.filter(revoked_at__gte=horizon).values(
                *_FIELDS, "issued_before"):
            key = tuple((f, event[f]) for f in _FIELDS if event[f])
            before = event["issued_before"].timestamp()
            if len(key) == 1 and key[0][0] == "audit_id":
                bucket, key = index["audit"], key[0][1]
            else:
                bucket = index["other"]
            bucket[key] = max(bucket.get(key, 0.0), before)
        store["index"] = index
    return index


def is_revoked(issued_at, user_id, project_id=None, domain_id=None, audit_ids=(),
               application_credential_id=None):
    index = _index()
    for audit_id in audit_ids:
        before = index["audit"].get(audit_id)
        if before is not None and issued_at <= before:
            return True
    if not index["other"]:
        return False
    token = {
        "user_id": user_id,
        "project_id": project_id,
        "domain_id": domain_id,
        "application_credential_id": application_credential_id,
    }
    for key, before in index["other"].items():
        if issued_at > before:
            continue
        if all((value in audit_ids) if field == "audit_id" else token.get(field) == value
               for field, value in key):
            return True
    return False


def prune():
    """Events older than the longest token life can match nothing any more."""
    horizon = timezone.now() - dt.timedelta(seconds=settings.TOKEN_EXPIRATION + 60)
    deleted, _ = RevocationEvent.objects.filter(revoked_at__lt=horizon).delete()
    if deleted:
        changed()
    return deleted
