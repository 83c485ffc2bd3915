"""Celery tasks, thin: conductor tasks (queue "conductor", with the database) call compute.conductor;
host tasks (queue "compute.<host>", no database) call compute.manager. Names are stable strings
because senders address them by name (compute.services.dispatch, compute.manager.report)."""

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from compute import manager


def _conductor():
    from compute import conductor

    return conductor


# -- conductor ---------------------------------------------------------------------------------

@shared_task(name="compute.conductor.build_instances")
def build_instances(instance_ids, request_id, volume_wait=0):
    _conductor().build_instances(instance_ids, request_id, volume_wait)


@shared_task(name="compute.conductor.build_succeeded")
def build_succeeded(instance_id, host, request_id, power_state, console=""):
    _conductor().build_succeeded(instance_id, host, request_id, power_state, console)


@shared_task(name="compute.conductor.build_failed")
def build_failed(instance_id, host, request_id, error):
    _conductor().build_failed(instance_id, host, request_id, error)


@shared_task(name="compute.conductor.operation_done")
def operation_done(instance_id, operation, request_id, host, power_state, console, error):
    _conductor().operation_done(instance_id, operation, request_id, host, power_state, console, error)


@shared_task(name="compute.conductor.snapshot_done")
def snapshot_done(instance_id, image_id, request_id, host, data_b64, console, error):
    _conductor().snapshot_done(instance_id, image_id, request_id, host, data_b64, console, error)


@shared_task(name="compute.conductor.instance_terminated")
def instance_terminated(instance_id, host, request_id, error):
    _conductor().instance_terminated(instance_id, host, request_id, error)


@shared_task(name="compute.conductor.migrate_server")
def migrate_server(instance_id, action, request_id):
    _conductor().migrate_server(instance_id, action, request_id)


@shared_task(name="compute.conductor.resize_source_done")
def resize_source_done(instance_id, request_id, host, disk, error):
    _conductor().resize_source_done(instance_id, request_id, host, disk, error)


@shared_task(name="compute.conductor.resize_finished")
def resize_finished(instance_id, request_id, host, power_state, console, error):
    _conductor().resize_finished(instance_id, request_id, host, power_state, console, error)


@shared_task(name="compute.conductor.confirm_resize")
def confirm_resize(instance_id, request_id):
    _conductor().confirm_resize(instance_id, request_id)


@shared_task(name="compute.conductor.revert_resize")
def revert_resize(instance_id, request_id):
    _conductor().revert_resize(instance_id, request_id)


@shared_task(name="compute.conductor.revert_finished")
def revert_finished(instance_id, request_id, host, power_state, console, error):
    _conductor().revert_finished(instance_id, request_id, host, power_state, console, error)


@shared_task(name="compute.conductor.host_report")
def host_report(host, zone, resources, power_states, read_at=None, consoles=None):
    _conductor().host_report(host, zone, resources, power_states, read_at, consoles)


@shared_task(name="compute.conductor.console_reported")
def console_reported(instance_id, host, console):
    _conductor().console_reported(instance_id, host, console)


@shared_task(name="compute.conductor.expire_stuck_tasks")
def expire_stuck_tasks():
    return _conductor().expire_stuck_tasks()


# -- compute host --------------------------------------------------------------------------------

@shared_task(name="compute.host.build_and_run_instance")
def build_and_run_instance(instance, request_id):
    manager.build_and_run_instance(instance, request_id)


@shared_task(name="compute.host.operate")
def operate(instance, operation, params, request_id):
    manager.operate(instance, operation, params, request_id)


@shared_task(name="compute.host.terminate_instance")
def terminate_instance(instance, request_id):
    manager.terminate_instance(instance, request_id)


@shared_task(name="compute.host.snapshot_instance")
def snapshot_instance(instance, image_id, request_id):
    manager.snapshot_instance(instance, image_id, request_id)


@shared_task(name="compute.host.resize_source")
def resize_source(instance, dest, flavor, request_id):
    manager.resize_source(instance, dest, flavor, request_id)


@shared_task(name="compute.host.finish_resize")
def finish_resize(instance, disk, power_on, request_id):
    manager.finish_resize(instance, disk, power_on, request_id)


@shared_task(name="compute.host.confirm_resize_source")
def confirm_resize_source(instance, request_id):
    manager.confirm_resize_source(instance, request_id)


@shared_task(name="compute.host.destroy_migrated")
def destroy_migrated(instance, request_id):
    manager.destroy_migrated(instance, request_id)


@shared_task(name="compute.host.refresh_console")
def refresh_console(instance, request_id):
    manager.refresh_console(instance, request_id)


@shared_task(name="compute.host.finish_revert_resize")
def finish_revert_resize(instance, request_id):
    manager.finish_revert_resize(instance, request_id)


@worker_ready.connect
def _start_host_reporter(sender=None, **kwargs):
    # Only compute host workers report (NEBULA_ROLE=compute): the others serve no hypervisor.
    if settings.NEBULA_ROLE == "compute":
        manager.start_reporter()


# -- volume attach (compute/volumes.py on the host, compute/services/volumes.py in the conductor) ----------

@shared_task(name="compute.host.attach_volume")
def attach_volume(instance, attachment_id, connection_info, target, request_id):
    from compute import volumes

    volumes.attach_volume(instance, attachment_id, connection_info, target, request_id)


@shared_task(name="compute.host.detach_volume")
def detach_volume(instance, attachment_id, target, request_id):
    from compute import volumes

    volumes.detach_volume(instance, attachment_id, target, request_id)


@shared_task(name="compute.conductor.volume_attached")
def volume_attached(attachment_id, error):
    from compute.services import volumes

    volumes.volume_attached(attachment_id, error)


@shared_task(name="compute.conductor.volume_detached")
def volume_detached(attachment_id, volume_id, error):
    from compute.services import volumes

    volumes.volume_detached(attachment_id, volume_id, error)
