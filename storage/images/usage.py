"""Quota usage counters of the image service (called by core.quotas while the project row is locked)."""

from django.db.models import Sum


def storage_bytes(project_id):
    from storage.images.models import Image

    return Image.objects.filter(owner=project_id, size__isnull=False).aggregate(total=Sum("size"))["total"] or 0


def image_count(project_id):
    from storage.images.models import Image

    return Image.objects.filter(owner=project_id).count()
