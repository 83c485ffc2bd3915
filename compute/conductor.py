"""The conductor: owns the multi-step flows (build, delete, resize/migrate, snapshot) and every database
write a compute host asks for. Runs in Celery workers on queue "conductor" (tasks in compute/tasks.py).

Compute hosts have no database: they receive a payload, call their driver and report back here.
"""

import base64
import io
import logging
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from compute.models import Instance, ServerGroupMember
from compute.services import dispatch, hosts, states
from compute.services.instance_actions import add_fault, finish_event, start_event
from core.context import RequestContext
from core.exceptions import BadRequest, NotFound

log = logging.getLogger("nebula.conductor")

# operation -> (event name, vm_state when it worked)
OPERATIONS = {
    "stop": ("compute_stop_instance", states.STOPPED),
    "start": ("compute_start_instance", states.ACTIVE),
    "reboot_soft": ("compute_reboot_instance", states.ACTIVE),
    "reboot_hard": ("compute_reboot_instance", states.ACTIVE),
    "pause": ("compute_pause_instance", states.PAUSED),
    "unpause": ("compute_unpause_instance", states.ACTIVE),
    "suspend": ("compute_suspend_instance", states.SUSPENDED),
    "resume": ("compute_resume_instance", states.ACTIVE),
    "rebuild": ("compute_rebuild_instance", states.ACTIVE),
}


def owner_context(instance, request_id=None):
    """The instance owner's scope with the system's rights: ports and images land in the right project."""
    return RequestContext(user_id=instance.user_id, project_id=instance.project_id,
                          roles=("admin", "member", "reader"), is_internal=True,
                          request_id=request_id or RequestContext.internal().request_id)


def _locked(instance_id):
    return Instance.objects.select_for_update().filter(id=instance_id).first()


def _set_error(instance, message, request_id, event, details="", host=None):
    with transaction.atomic():
        row = _locked(instance.id)
        if row is None:
            return
        row.vm_state, row.task_state = states.ERROR, None
        row.save(update_fields=["vm_state", "task_state", "updated_at"])
        add_fault(row, message, details, code=500, host=host)
        if event:
            finish_event(row.id, request_id, event, "Error", host=host, traceback=details or message)


# -- build -----------------------------------------------------------------------------------

def _request_spec(instances, ignore_hosts=(), flavor=None):
    from compute import scheduler

    first = instances[0]
    flavor = flavor or first.flavor_info
    group = None
    group_id = (first.request_spec or {}).get("group")
    if group_id:
        members = list(ServerGroupMember.objects.filter(group_id=group_id, instance__deleted=False)
                       .select_related("group", "instance").values_list("group__policy", "group__rules",
                                                                        "instance_id", "instance__host"))
        if members:
            policy, rules = members[0][0], members[0][1]
            group = scheduler.ServerGroup(policy=policy, uuid=group_id, rules=rules or {},
                                          members=[m[2] for m in members], hosts=[m[3] for m in members if m[3]])
    forced = (first.request_spec or {}).get("forced_host")
    return scheduler.RequestSpec(
        flavor=scheduler.Flavor(vcpus=flavor["vcpus"], memory_mb=flavor["memory_mb"], root_gb=flavor["root_gb"],
                                ephemeral_gb=flavor.get("ephemeral_gb", 0), swap=flavor.get("swap", 0),
                                extra_specs=flavor.get("extra_specs") or {}, name=flavor.get("name", ""),
                                flavorid=flavor.get("flavorid", "")),
        instance_uuids=[i.id for i in instances], image_properties=(first.image_info or {}).get("properties") or {},
        availability_zone=first.requested_availability_zone, scheduler_hints=(first.request_spec or {}).get(
            "scheduler_hints") or {}, server_group=group, project_id=first.project_id, user_id=first.user_id,
        ignore_hosts=list(ignore_hosts), force_hosts=[forced] if forced else [],
        requested_host=(first.request_spec or {}).get("requested_destination"))


def build_instances(instance_ids, request_id, volume_wait=0):
    """Schedule and send the builds. A boot from an image-made volume comes back here every second
    (`volume_wait` counts the visits) until its volume is available: no conductor worker sleeps meanwhile."""
    from compute.scheduler import NoValidHost, select_destinations

    instances = list(Instance.objects.filter(id__in=instance_ids, deleted=False).order_by("launch_index"))
    if not instances:
        return
    if not volume_wait:
        for instance in instances:
            start_event(instance.id, request_id, "conductor_schedule_and_build_instances")
    instances, waiting = _boot_volumes_ready(instances, request_id, volume_wait)
    if waiting:
        dispatch.to_conductor("build_instances", [i.id for i in instances + waiting], request_id, volume_wait + 1,
                              countdown=1)
        return
    if not instances:
        return
    try:
        selections = select_destinations(_request_spec(instances), hosts.host_states(),
                                         alternates=max(0, settings.COMPUTE_MAX_ATTEMPTS - 1))
    except NoValidHost as error:
        for instance in instances:
            _set_error(instance, error.message, request_id, "conductor_schedule_and_build_instances",
                       details="; ".join(str(r) for r in error.filter_results))
            _finish_if_deleting(instance.id, request_id)
        return
    zones = {state.host: state.availability_zone for candidates in selections for state in candidates}
    for instance, candidates in zip(instances, selections):
        _place(instance, [state.host for state in candidates], request_id, zones)


# Nova's block_device_allocate_retries: how many one-second visits an image-made root volume may take.
BLOCK_DEVICE_RETRIES = 180


class BlockDeviceError(Exception):
    """The root volume of a boot from volume cannot be had: the build ends in ERROR with this fault."""


def _boot_volumes_ready(instances, request_id, volume_wait):
    """(instances ready to schedule, instances whose root volume is still being created). Creates the
    volume of an image-to-volume mapping on the first visit, as Nova does before the spawn."""
    ready, waiting = [], []
    for instance in instances:
        if instance.task_state == states.DELETING:
            _finish_if_deleting(instance.id, request_id)
            continue
        if instance.vm_state != states.BUILDING:
            continue
        block_devices = (instance.request_spec or {}).get("block_devices") or []
        try:
            available = [_boot_volume_available(instance, bdm, request_id, volume_wait) for bdm in block_devices]
        except BlockDeviceError as error:
            _set_error(instance, f"Build of instance {instance.id} aborted: {error}", request_id,
                       "conductor_schedule_and_build_instances")
            _finish_if_deleting(instance.id, request_id)
            continue
        (ready if all(available) else waiting).append(instance)
    return ready, waiting


def _boot_volume_available(instance, bdm, request_id, volume_wait):
    from core.exceptions import NebulaError
    from storage.volumes.models import Volume

    if not bdm.get("volume_id"):
        from storage.volumes.services import volumes as volume_services

        try:
            volume = volume_services.create_volume(owner_context(instance, request_id), size=bdm["volume_size"],
                                                   name="", image_id=bdm["image_id"])
        except NebulaError as error:
            message = error.message if hasattr(error, "message") else error
            raise BlockDeviceError(f"Failure prepping block device: {message}") from None
        bdm["volume_id"] = str(volume.id)
        Instance.objects.filter(id=instance.id).update(request_spec=instance.request_spec)
        return False
    status = Volume.objects.filter(pk=bdm["volume_id"]).values_list("status", flat=True).first()
    if status == "available":
        return True
    if status is None:
        raise BlockDeviceError(f"Block Device Mapping is Invalid: failed to get volume {bdm['volume_id']}.")
    if bdm.get("source_type") != "image":
        raise BlockDeviceError(f"Invalid volume: volume '{bdm['volume_id']}' status must be 'available'. "
                               f"Currently in '{status}'")
    if status in ("creating", "downloading") and volume_wait < BLOCK_DEVICE_RETRIES:
        return False
    raise BlockDeviceError(f"Volume {bdm['volume_id']} did not finish being created even after we waited "
                           f"{volume_wait} seconds or {volume_wait} attempts. And its status is {status}.")


def _attach_boot_volumes(row, host, request_id):
    """Reserve each root volume for the chosen host (or move the reservation there on a reschedule); the
    connection info travels to the host in the build message (payload's block_device_info)."""
    block_devices = (row.request_spec or {}).get("block_devices") or []
    if not block_devices:
        return None
    from storage.volumes.services import attachments as cinder

    ctx = owner_context(row, request_id)
    mapping = []
    for bdm in block_devices:
        connector = {"host": host, "mountpoint": bdm.get("device_name") or "/dev/vda"}
        if bdm.get("attachment_id"):
            attachment = cinder.update_attachment(ctx, bdm["attachment_id"], connector)
        else:
            attachment = cinder.create_attachment(ctx, bdm["volume_id"], instance_uuid=row.id, connector=connector)
            bdm["attachment_id"] = str(attachment.id)
        mapping.append({"boot_index": bdm.get("boot_index", 0),
                        "mount_device": connector["mountpoint"].rsplit("/", 1)[-1],
                        "volume_id": bdm["volume_id"], "attachment_id": bdm["attachment_id"],
                        "delete_on_termination": bool(bdm.get("delete_on_termination")),
                        "connection_info": attachment.connection_info})
    info = {"root_device_name": "/dev/vda", "block_device_mapping": mapping}
    row.request_spec = {**row.request_spec, "block_devices": block_devices, "block_device_info": info}
    # Saved at once: a failure further on must still find (and release) the attachments on delete.
    Instance.objects.filter(id=row.id).update(request_spec=row.request_spec)
    return info


def _complete_boot_volumes(instance_id):
    from storage.volumes.services import attachments as cinder

    spec = Instance.objects.filter(id=instance_id).values_list("request_spec", flat=True).first() or {}
    for bdm in spec.get("block_devices") or []:
        if bdm.get("attachment_id"):
            try:
                cinder.complete_attachment(RequestContext.internal(), bdm["attachment_id"])
            except NotFound:
                log.warning("attachment %s of %s is gone", bdm["attachment_id"], instance_id)


def _delete_volumes_on_termination(row, request_id):
    from storage.volumes.services import volumes as volume_services

    for bdm in (row.request_spec or {}).get("block_devices") or []:
        if bdm.get("delete_on_termination") and bdm.get("volume_id"):
            try:
                volume_services.delete_volume(owner_context(row, request_id), bdm["volume_id"])
            except (NotFound, BadRequest) as error:
                log.warning("volume %s of deleted server %s stays: %s", bdm["volume_id"], row.id, error)


def _finish_if_deleting(instance_id, request_id):
    row = Instance.objects.filter(id=instance_id).first()
    if row is not None and row.task_state == states.DELETING:
        instance_terminated(instance_id, row.host, request_id, None)


def _place(instance, candidates, request_id, zones=None):
    """Claim room on the first candidate that still has it, then ports, then send the build there.

    The row changes are conditional UPDATEs (never on a server being deleted meanwhile), so a build
    costs few queries and no row lock is held while the network service works.
    """
    event = "conductor_schedule_and_build_instances"
    chosen = None
    for index, host in enumerate(candidates):
        if hosts.claim(host, instance.flavor_info):
            chosen, alternates = host, candidates[index + 1:]
            break
    if chosen is None:
        _set_error(instance, "No valid host was found. There are not enough hosts available.", request_id, event)
        _finish_if_deleting(instance.id, request_id)
        return
    zone = (zones or {}).get(chosen) or hosts.zone_of_hosts().get(chosen, settings.COMPUTE_AVAILABILITY_ZONE)
    live = Instance.objects.filter(id=instance.id, deleted=False).exclude(task_state=states.DELETING)
    now = timezone.now()
    if not live.update(host=chosen, node=chosen, availability_zone=zone, alternates=alternates,
                       attempts=F("attempts") + 1, task_state=states.NETWORKING, task_started_at=now, updated_at=now):
        hosts.release(chosen, instance.flavor_info)
        _finish_if_deleting(instance.id, request_id)
        return
    row = instance
    row.host = row.node = chosen
    row.availability_zone, row.task_state = zone, states.NETWORKING
    try:
        network_info = _allocate_network(row, chosen, request_id)
    except Exception as error:  # noqa: BLE001 - any failure of the network service is the build's fault
        log.exception("network allocation for %s failed", row.id)
        hosts.release(chosen, row.flavor_info)
        Instance.objects.filter(id=row.id).update(host=None, node=None)
        _set_error(row, f"Build of instance {row.id} aborted: network allocation failed: {error}", request_id,
                   event)
        _finish_if_deleting(row.id, request_id)
        return
    try:
        _attach_boot_volumes(row, chosen, request_id)
    except Exception as error:  # noqa: BLE001 - a volume that cannot be reserved ends the build
        log.exception("root volume reservation for %s failed", row.id)
        hosts.release(chosen, row.flavor_info)
        Instance.objects.filter(id=row.id).update(host=None, node=None)
        message = error.message if hasattr(error, "message") else error
        _set_error(row, f"Build of instance {row.id} aborted: Failure prepping block device: {message}", request_id,
                   event)
        _finish_if_deleting(row.id, request_id)
        return
    row.network_info, row.task_state = network_info, states.SPAWNING
    with transaction.atomic():
        if not live.update(network_info=network_info, task_state=states.SPAWNING, updated_at=timezone.now()):
            Instance.objects.filter(id=row.id).update(network_info=network_info)
            transaction.on_commit(lambda: _finish_if_deleting(row.id, request_id))
            return
        finish_event(row.id, request_id, event, "Success")
        start_event(row.id, request_id, "compute_build_and_run_instance", host=chosen)
        dispatch.to_host(chosen, "build_and_run_instance", dispatch.payload(row), request_id)


def _allocate_network(instance, host, request_id):
    requested = instance.requested_networks or ["auto"]
    if requested == ["none"]:
        return []
    if instance.network_info:
        return instance.network_info  # a reschedule keeps the ports it already has
    from network import services as network_services

    ctx = owner_context(instance, request_id)
    groups = [g["name"] for g in instance.security_groups]
    # Only "default": leave it to the network service, which makes the project's default group on first use.
    return network_services.allocate_for_instance(
        ctx, instance.id, requested if requested != ["auto"] else "auto",
        security_groups=None if groups == ["default"] else groups, host=host) or []


def build_succeeded(instance_id, host, request_id, power_state, console=""):
    finish_event(instance_id, request_id, "compute_build_and_run_instance", "Success", host=host)
    now = timezone.now()
    done = Instance.objects.filter(id=instance_id, deleted=False).exclude(task_state=states.DELETING).update(
        vm_state=states.ACTIVE, task_state=None, power_state=power_state, launched_at=now,
        console_log=console or "", updated_at=now)
    if done:
        _complete_boot_volumes(instance_id)
    if not done:
        row = Instance.objects.filter(id=instance_id, deleted=False).first()
        if row is not None:  # deleted while it was building: the host has a guest to destroy now
            with transaction.atomic():
                dispatch.to_host(host, "terminate_instance", dispatch.payload(row), request_id)


def build_failed(instance_id, host, request_id, error):
    """Release the host's claim; try the next alternate up to COMPUTE_MAX_ATTEMPTS, then ERROR."""
    event = "compute_build_and_run_instance"
    row = Instance.objects.filter(id=instance_id).first()
    if row is None or row.deleted:
        return
    hosts.release(host, row.flavor_info)
    finish_event(instance_id, request_id, event, "Error", host=host, traceback=error)
    if row.task_state == states.DELETING:
        Instance.objects.filter(id=instance_id).update(host=None, node=None)
        instance_terminated(instance_id, None, request_id, None)
        return
    alternates = [h for h in row.alternates if h != host]
    if row.attempts < settings.COMPUTE_MAX_ATTEMPTS and alternates:
        log.info("rescheduling %s after a failed build on %s: %s", instance_id, host, error)
        Instance.objects.filter(id=instance_id).update(task_state=states.SCHEDULING, host=None, node=None)
        start_event(instance_id, request_id, "conductor_schedule_and_build_instances")
        row.refresh_from_db()
        _place(row, alternates, request_id)
        return
    Instance.objects.filter(id=instance_id).update(host=None, node=None)
    message = (f"Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures "
               f"for instance {instance_id}." if row.attempts > 1 else
               f"Build of instance {instance_id} aborted: {error}")
    _set_error(row, message, request_id, None, details=error, host=host)  # the event is closed already


# -- operations on one host ------------------------------------------------------------------

def operation_done(instance_id, operation, request_id, host, power_state, console, error):
    event, vm_state = OPERATIONS[operation]
    with transaction.atomic():
        row = _locked(instance_id)
        if row is None or row.deleted:
            return
        if row.task_state == states.DELETING:
            return
        if error:
            if operation in ("rebuild", "reboot_hard"):
                row.vm_state = states.ERROR
                add_fault(row, error, host=host)
            row.task_state = None
            finish_event(instance_id, request_id, event, "Error", host=host, traceback=error)
        else:
            row.vm_state, row.task_state = vm_state, None
            finish_event(instance_id, request_id, event, "Success", host=host)
        if power_state is not None:
            row.power_state = power_state
        if console:
            row.console_log = console
        row.save()


def snapshot_done(instance_id, image_id, request_id, host, data_b64, console, error):
    row = Instance.objects.filter(id=instance_id).first()
    if row is None:
        return
    event = "compute_snapshot_instance"
    if not error:
        try:
            from storage.images import services as image_services

            image_services.upload_image_data(owner_context(row, request_id), image_id,
                                             io.BytesIO(base64.b64decode(data_b64)))
        except Exception as upload_error:  # noqa: BLE001 - reported on the action, the server stays usable
            log.exception("snapshot upload of %s failed", instance_id)
            error = f"Image upload failed: {upload_error}"
    with transaction.atomic():
        row = _locked(instance_id)
        if row.task_state == states.IMAGE_SNAPSHOT:
            row.task_state = None
        if console:
            row.console_log = console
        row.save()
        finish_event(instance_id, request_id, event, "Error" if error else "Success", host=host, traceback=error)


# -- delete ----------------------------------------------------------------------------------

def instance_terminated(instance_id, host, request_id, error):
    """The host destroyed the guest (or has none/is dead): free ports and claims, mark the row deleted."""
    row = Instance.objects.filter(id=instance_id).first()
    if row is None or row.deleted:
        return
    if error:
        log.warning("terminate of %s on %s reported %s; deleting the record anyway", instance_id, host, error)
    try:
        if row.network_info or row.requested_networks:
            from network import services as network_services

            network_services.deallocate_for_instance(owner_context(row, request_id), instance_id)
    except Exception:  # noqa: BLE001 - a port left behind must not keep a deleted server alive
        log.exception("port deallocation of %s failed", instance_id)
    try:
        from compute.services import volumes as volume_attachments

        volume_attachments.release_all(instance_id)
    except Exception:  # noqa: BLE001 - nor a volume attachment
        log.exception("volume detach of %s failed", instance_id)
    try:
        _delete_volumes_on_termination(row, request_id)
    except Exception:  # noqa: BLE001 - nor a volume that cannot be deleted
        log.exception("delete_on_termination volumes of %s failed", instance_id)
    with transaction.atomic():
        row = _locked(instance_id)
        if row is None or row.deleted:
            return
        if row.host:
            hosts.release(row.host, row.flavor_info)
        if row.vm_state == states.RESIZED and row.previous_host and row.old_flavor_id:
            hosts.release(row.previous_host, row.old_flavor.as_dict())
        now = timezone.now()
        row.vm_state, row.task_state, row.deleted = states.DELETED, None, True
        row.terminated_at = now
        row.power_state = 0
        row.save()
        ServerGroupMember.objects.filter(instance_id=instance_id).delete()
        finish_event(instance_id, request_id, "compute_terminate_instance", "Error" if error else "Success",
                     host=host, traceback=error)


# -- resize and cold migration ---------------------------------------------------------------

def migrate_server(instance_id, action, request_id):
    from compute.scheduler import NoValidHost, select_destinations

    event = "conductor_migrate_server"
    row = Instance.objects.select_related("new_flavor").filter(id=instance_id, deleted=False).first()
    if row is None or row.task_state != states.RESIZE_PREP:
        return
    start_event(instance_id, request_id, event)
    new_flavor = row.new_flavor.as_dict()
    attempts = [[row.host]] if action == "migrate" else [[row.host], []]
    error = None
    for ignore in attempts:
        try:
            selection = select_destinations(_request_spec([row], ignore_hosts=ignore, flavor=new_flavor),
                                             hosts.host_states(), alternates=2)[0]
        except NoValidHost as exc:
            error = exc.message
            continue
        for state in selection:
            if hosts.claim(state.host, new_flavor):
                return _send_resize(row, state.host, new_flavor, action, request_id)
        error = "No valid host was found. Claims failed on every candidate."
    with transaction.atomic():
        row = _locked(instance_id)
        row.task_state, row.new_flavor = None, None
        row.save()
        add_fault(row, error or "No valid host was found.", code=400)
        finish_event(instance_id, request_id, event, "Error", traceback=error)


def _send_resize(row, dest, new_flavor, action, request_id):
    with transaction.atomic():
        row = _locked(row.id)
        row.task_state = states.RESIZE_MIGRATING
        row.request_spec = {**row.request_spec, "migration": {"source": row.host, "dest": dest, "action": action,
                                                              "was_stopped": row.vm_state == states.STOPPED}}
        row.save()
        finish_event(row.id, request_id, "conductor_migrate_server", "Success")
        start_event(row.id, request_id, "compute_resize_instance", host=row.host)
        dispatch.to_host(row.host, "resize_source", dispatch.payload(row), dest, new_flavor, request_id)


def resize_source_done(instance_id, request_id, host, disk, error):
    with transaction.atomic():
        row = _locked(instance_id)
        if row is None or row.deleted:
            return
        migration = row.request_spec.get("migration", {})
        if error:
            hosts.release(migration.get("dest"), row.new_flavor.as_dict())
            row.task_state, row.new_flavor = None, None
            row.save()
            finish_event(instance_id, request_id, "compute_resize_instance", "Error", host=host, traceback=error)
            return
        row.task_state = states.RESIZE_MIGRATED
        row.save(update_fields=["task_state", "updated_at"])
        finish_event(instance_id, request_id, "compute_resize_instance", "Success", host=host)
        start_event(instance_id, request_id, "compute_finish_resize", host=migration["dest"])
        payload = dispatch.payload(row)
        payload["flavor"] = row.new_flavor.as_dict()
        payload["host"] = migration["dest"]
        dispatch.to_host(migration["dest"], "finish_resize", payload, disk, not migration.get("was_stopped"),
                         request_id)


def resize_finished(instance_id, request_id, host, power_state, console, error):
    with transaction.atomic():
        row = _locked(instance_id)
        if row is None or row.deleted:
            return
        migration = row.request_spec.get("migration", {})
        if error:
            hosts.release(migration.get("dest"), row.new_flavor.as_dict())
            row.vm_state, row.task_state, row.new_flavor = states.ERROR, None, None
            row.save()
            add_fault(row, error, host=host)
            finish_event(instance_id, request_id, "compute_finish_resize", "Error", host=host, traceback=error)
            return
        row.old_flavor_id, row.flavor_id = row.flavor_id, row.new_flavor_id
        row.flavor_info, row.new_flavor = row.new_flavor.as_dict(), None
        row.previous_host, row.host, row.node = row.host, migration["dest"], migration["dest"]
        row.availability_zone = hosts.zone_of_hosts().get(row.host, row.availability_zone)
        row.vm_state, row.task_state = states.RESIZED, None
        if power_state is not None:
            row.power_state = power_state
        if console:
            row.console_log = console
        row.save()
        finish_event(instance_id, request_id, "compute_finish_resize", "Success", host=host)


def confirm_resize(instance_id, request_id):
    with transaction.atomic():
        row = Instance.objects.select_for_update(of=("self",)).select_related("old_flavor").filter(id=instance_id).first()
        if row is None or row.deleted or row.task_state != states.RESIZE_CONFIRMING:
            return
        migration = row.request_spec.get("migration", {})
        if row.old_flavor_id:
            hosts.release(row.previous_host, row.old_flavor.as_dict())
        if row.previous_host and row.previous_host != row.host:
            payload = dispatch.payload(row)
            payload["previous_host"] = row.previous_host
            dispatch.to_host(row.previous_host, "confirm_resize_source", payload, request_id)
        row.vm_state = states.STOPPED if migration.get("was_stopped") else states.ACTIVE
        row.task_state, row.old_flavor, row.previous_host = None, None, None
        row.save()
        finish_event(instance_id, request_id, "compute_confirm_resize", "Success")


def revert_resize(instance_id, request_id):
    with transaction.atomic():
        row = Instance.objects.select_for_update(of=("self",)).select_related("old_flavor").filter(id=instance_id).first()
        if row is None or row.deleted or row.task_state != states.RESIZE_REVERTING:
            return
        dest, source = row.host, row.previous_host
        hosts.release(dest, row.flavor_info)
        if dest != source:
            dispatch.to_host(dest, "destroy_migrated", dispatch.payload(row), request_id)
        row.flavor_id, row.flavor_info = row.old_flavor_id, row.old_flavor.as_dict()
        row.host = row.node = source
        row.old_flavor, row.previous_host = None, None
        row.availability_zone = hosts.zone_of_hosts().get(source, row.availability_zone)
        row.save()
        start_event(instance_id, request_id, "compute_revert_resize", host=source)
        dispatch.to_host(source, "finish_revert_resize", dispatch.payload(row), request_id)


def revert_finished(instance_id, request_id, host, power_state, console, error):
    with transaction.atomic():
        row = _locked(instance_id)
        if row is None or row.deleted:
            return
        migration = row.request_spec.get("migration", {})
        row.vm_state = states.ERROR if error else (states.STOPPED if migration.get("was_stopped") else states.ACTIVE)
        row.task_state = None
        if power_state is not None:
            row.power_state = power_state
        if console:
            row.console_log = console
        row.save()
        if error:
            add_fault(row, error, host=host)
        finish_event(instance_id, request_id, "compute_revert_resize", "Error" if error else "Success", host=host,
                     traceback=error)


# -- reports and timeouts --------------------------------------------------------------------

def host_report(host, zone, resources, power_states, read_at=None, consoles=None):
    """A host's periodic report: heartbeat, capacity, the power state of each of its guests and the
    console tails that changed since its last report.

    Only rows unchanged since the host read its power states (`read_at`, epoch seconds) are synced: a
    report read before an operation finished must not undo what that operation recorded.
    """
    hosts.heartbeat(host, resources, zone)
    _report_unknown_guests(host, power_states)
    store_consoles(host, consoles)
    if read_at is None:
        return
    read_at = datetime.fromtimestamp(read_at, tz=dt_timezone.utc)
    rows = Instance.objects.filter(host=host, deleted=False, task_state__isnull=True,
                                   updated_at__lt=read_at).values_list("id", "power_state", "vm_state")
    for instance_id, power_state, vm_state in rows:
        actual = power_states.get(instance_id, 0)
        if actual == power_state:
            continue
        changes = {"power_state": actual}
        if vm_state == states.ACTIVE and actual == 4:
            changes["vm_state"] = states.STOPPED  # the guest shut itself down, as Nova's sync records it
        Instance.objects.filter(id=instance_id, task_state__isnull=True, updated_at__lt=read_at).update(**changes)


def store_consoles(host, consoles):
    """Console tails of guests this host runs, in one UPDATE; updated_at is left alone (a console line is
    no change of the server, and the power-state sync above compares against it)."""
    if not consoles:
        return 0
    ids = list(Instance.objects.filter(id__in=list(consoles), host=host, deleted=False).values_list("id", flat=True))
    now = timezone.now()
    rows = [Instance(id=instance_id, console_log=consoles[instance_id], console_updated_at=now) for instance_id in ids]
    if rows:
        Instance.objects.bulk_update(rows, ["console_log", "console_updated_at"])
    return len(rows)


def console_reported(instance_id, host, console):
    """A fresh console asked for by a reader (compute.services.servers.console_output); None when the
    host has none for the guest: the stored text stays and the reader stops waiting."""
    changes = {"console_updated_at": timezone.now()}
    if console is not None:
        changes["console_log"] = console
    Instance.objects.filter(id=instance_id, host=host, deleted=False).update(**changes)


def _report_unknown_guests(host, power_states):
    """Guests a host runs that the database does not know (deleted rows, or never Nebula's): an operator's
    business, so they are logged and left alone, like Nova's running_deleted_instance_action=log."""
    if not power_states:
        return
    known = set(Instance.objects.filter(id__in=list(power_states), deleted=False).values_list("id", flat=True))
    unknown = sorted(set(power_states) - known)
    if unknown:
        log.warning("host %s runs guests the database does not know: %s", host, ", ".join(unknown))
    return unknown


def expire_stuck_tasks():
    """A server whose host died mid-build goes to ERROR; other tasks on dead hosts are cleared."""
    limit = timezone.now() - timedelta(seconds=settings.COMPUTE_BUILD_TIMEOUT)
    stuck = list(Instance.objects.filter(deleted=False, task_state__isnull=False, task_started_at__lt=limit))
    for row in stuck:
        request_id = RequestContext.internal().request_id
        if row.task_state == states.DELETING:
            instance_terminated(row.id, row.host, request_id, "timed out waiting for the host")
        elif row.vm_state == states.BUILDING:
            hosts.release(row.host, row.flavor_info)
            Instance.objects.filter(id=row.id).update(host=None, node=None)
            _set_error(row, f"Build of instance {row.id} timed out after {settings.COMPUTE_BUILD_TIMEOUT}s "
                            f"waiting for host {row.host or '(none)'}", request_id, "compute_build_and_run_instance",
                       host=row.host)
        elif row.host and not hosts.host_is_up(row.host):
            Instance.objects.filter(id=row.id).update(task_state=None)
    return len(stuck)
