from celery import shared_task

from identity.services import revocation


@shared_task(name="identity.tasks.prune_revocation_events")
def prune_revocation_events():
    return revocation.prune()
