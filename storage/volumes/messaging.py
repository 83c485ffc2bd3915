"""Sending block storage work by task name after the writing transaction commits.

Queues: `volume-scheduler` (placement), `volume.<host>@<backend>` (one per back end), `volume-backup`.
With task_always_eager (tests, NEBULA_TASKS_EAGER) tasks run inline."""

from celery import current_app
from django.db import transaction

from storage.volumes import conf


def send_now(name, args, queue):
    app = current_app
    if app.conf.task_always_eager:
        from storage.volumes import tasks  # noqa: F401  (registers the tasks in this process)

        return app.tasks[name].apply(args=list(args))
    return app.send_task(name, args=list(args), queue=queue)


def send(name, args, queue):
    transaction.on_commit(lambda: send_now(name, args, queue))


def to_scheduler(task, *args):
    send(f"storage.volumes.scheduler.{task}", args, conf.SCHEDULER_QUEUE)


def to_backend(service_host, task, *args):
    send(f"storage.volumes.volume.{task}", args, conf.backend_queue(service_host))


def to_backup(task, *args):
    send(f"storage.volumes.backup.{task}", args, conf.BACKUP_QUEUE)
