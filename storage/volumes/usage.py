"""Quota usage counted from the rows themselves (core.quotas): nothing to keep in step."""

from django.db.models import Sum


def volume_count(project_id):
    from storage.volumes.models import Volume

    return Volume.objects.filter(project_id=project_id).count()


def gigabytes(project_id):
    """Volumes and snapshots both hold space, as Cinder counts them."""
    from storage.volumes.models import Snapshot, Volume

    volumes = Volume.objects.filter(project_id=project_id).aggregate(s=Sum("size"))["s"] or 0
    snapshots = Snapshot.objects.filter(project_id=project_id).aggregate(s=Sum("size"))["s"] or 0
    return volumes + snapshots


def snapshot_count(project_id):
    from storage.volumes.models import Snapshot

    return Snapshot.objects.filter(project_id=project_id).count()


def backup_count(project_id):
    from storage.volumes.models import Backup

    return Backup.objects.filter(project_id=project_id).count()


def backup_gigabytes(project_id):
    from storage.volumes.models import Backup

    return Backup.objects.filter(project_id=project_id).aggregate(s=Sum("size"))["s"] or 0
