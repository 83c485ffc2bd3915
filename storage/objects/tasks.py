"""Periodic object-store work (celery beat, queue `default`): replication, auditing, expiry."""

from celery import shared_task


@shared_task(name="storage.objects.tasks.replicate")
def replicate():
    from storage.objects import replicator

    return replicator.replicate().__dict__


@shared_task(name="storage.objects.tasks.audit")
def audit():
    from storage.objects import auditor

    return auditor.audit().__dict__


@shared_task(name="storage.objects.tasks.reap_expired")
def reap_expired():
    from storage.objects import services

    return services.reap_expired()
