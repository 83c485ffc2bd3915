"""Celery tasks, thin: the scheduler (queue volume-scheduler), the back ends (volume.<host>@<backend>),
the backups (volume-backup) and the periodic reaper. Names are stable: senders address them by name."""

from celery import shared_task
from celery.signals import worker_ready

from storage.volumes import manager


@shared_task(name="storage.volumes.scheduler.create_volume")
def schedule_create_volume(volume_id, forced_backend=None, request_id=None):
    from storage.volumes.services.placement import schedule_create

    schedule_create(volume_id, forced_backend, request_id)


def _service_host(task):
    queue = (task.request.delivery_info or {}).get("routing_key") or ""
    return queue[len("volume."):] if queue.startswith("volume.") else None


def _host_of_volume(volume_id):
    from storage.volumes.models import Volume

    volume = Volume.objects.select_related("backend").filter(pk=volume_id).first()
    return volume.backend.service_host if volume and volume.backend else None


def _host_of_snapshot(snapshot_id):
    from storage.volumes.models import Snapshot

    snapshot = Snapshot.objects.select_related("volume__backend").filter(pk=snapshot_id).first()
    return snapshot.volume.backend.service_host if snapshot and snapshot.volume.backend else None


@shared_task(bind=True, name="storage.volumes.volume.create_volume")
def create_volume(self, volume_id, scheduled_at=None):
    manager.create_volume(_service_host(self) or _host_of_volume(volume_id), volume_id)


@shared_task(bind=True, name="storage.volumes.volume.delete_volume")
def delete_volume(self, volume_id, request_id=None):
    manager.delete_volume(_service_host(self) or _host_of_volume(volume_id), volume_id)


@shared_task(bind=True, name="storage.volumes.volume.extend_volume")
def extend_volume(self, volume_id, new_size, request_id=None):
    manager.extend_volume(_service_host(self) or _host_of_volume(volume_id), volume_id, new_size)


@shared_task(bind=True, name="storage.volumes.volume.upload_image")
def upload_image(self, volume_id, image_id, disk_format, request_id=None):
    manager.upload_image(_service_host(self) or _host_of_volume(volume_id), volume_id, image_id, disk_format)


@shared_task(bind=True, name="storage.volumes.volume.create_snapshot")
def create_snapshot(self, snapshot_id, request_id=None):
    manager.create_snapshot(_service_host(self) or _host_of_snapshot(snapshot_id), snapshot_id)


@shared_task(bind=True, name="storage.volumes.volume.delete_snapshot")
def delete_snapshot(self, snapshot_id, request_id=None):
    manager.delete_snapshot(_service_host(self) or _host_of_snapshot(snapshot_id), snapshot_id)


@shared_task(name="storage.volumes.backup.create_backup")
def create_backup(backup_id):
    from storage.volumes.backup import engine

    engine.run_backup(backup_id)


@shared_task(name="storage.volumes.backup.restore_backup")
def restore_backup(backup_id, volume_id):
    from storage.volumes.backup import engine

    engine.run_restore(backup_id, volume_id)


@shared_task(name="storage.volumes.backup.delete_backup")
def delete_backup(backup_id):
    from storage.volumes.backup import engine

    engine.run_delete(backup_id)


@shared_task(name="storage.volumes.tasks.reap_stuck")
def reap_stuck():
    from storage.volumes.services.worker import reap_stuck as reap

    return reap()


@worker_ready.connect
def _start_volume_reporter(sender=None, **kwargs):
    try:
        names = [queue.name for queue in sender.task_consumer.queues]
    except AttributeError:
        return
    manager.start_reporter(names)
