"""Sending a task by name to a queue; with task_always_eager (tests, NEBULA_TASKS_EAGER) it runs inline.

No database and no import of the receiving code: compute hosts use it to report to the conductor.
"""

from celery import current_app


def send(name, args, queue, countdown=None):
    app = current_app
    if app.conf.task_always_eager:
        return app.tasks[name].apply(args=list(args))
    return app.send_task(name, args=list(args), queue=queue, countdown=countdown)
