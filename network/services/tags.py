"""The standard-attr-tag sub-resource: a resource's tags replaced, extended, or cleared (one by one or all)."""

from django.db import transaction

from core.exceptions import NotFound
from network.services.common import check_tags, enforce


def _write(ctx, obj, singular, tags):
    enforce(ctx, f"update_{singular}", {"project_id": obj.project_id})
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        locked.tags = tags
        locked.bump()
        locked.save(update_fields=["tags", "revision_number", "updated_at"])
    return tags


def replace_tags(ctx, obj, singular, tags):
    return _write(ctx, obj, singular, check_tags(tags))


def add_tag(ctx, obj, singular, tag):
    return _write(ctx, obj, singular, check_tags(list(obj.tags) + [tag]))


def remove_tag(ctx, obj, singular, tag=None):
    """Without a tag: remove them all."""
    if tag is None:
        return _write(ctx, obj, singular, [])
    if tag not in obj.tags:
        raise NotFound(f"Tag {tag} could not be found.")
    return _write(ctx, obj, singular, [t for t in obj.tags if t != tag])
