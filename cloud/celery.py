"""The Celery application: the message queue between Nebula's services (the seed's MQ)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloud.settings")

app = Celery("nebula")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "identity-prune-revocations": {
        "task": "identity.tasks.prune_revocation_events",
        "schedule": 300.0,
    },
    "identity-sync-ldap": {"task": "identity.tasks.sync_ldap_domains", "schedule": 300.0},
    "objects-replicate": {"task": "storage.objects.tasks.replicate", "schedule": 60.0},
    "objects-audit": {"task": "storage.objects.tasks.audit", "schedule": 3600.0},
    "objects-reap-expired": {"task": "storage.objects.tasks.reap_expired", "schedule": 300.0},
    # Volumes, snapshots and backups whose worker died mid-operation go to error with a reason.
    "volumes-reap-stuck": {"task": "storage.volumes.tasks.reap_stuck", "schedule": 60.0},
    # Builds whose host died (and other tasks stuck on dead hosts) stop waiting: ERROR with a fault.
    "compute-expire-stuck-tasks": {"task": "compute.conductor.expire_stuck_tasks", "schedule": 60.0,
                                   "options": {"queue": "conductor"}},
}
