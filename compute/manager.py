"""The compute host side: what a worker on queue compute.<host> does. No database here, ever.

Everything needed arrives in the task message; every result goes back as a conductor task. One worker
may serve several fake hosts (-Q compute.h1,compute.h2): the driver is chosen by the message's host.
"""

import base64
import logging
import threading
import time

from django.conf import settings

from compute.drivers.base import DriverError, load_driver
from compute.messaging import send

log = logging.getLogger("nebula.compute")
_drivers = {}
_drivers_lock = threading.Lock()


def driver_for(host):
    with _drivers_lock:
        if host not in _drivers:
            _drivers[host] = load_driver(settings.COMPUTE_DRIVER, host)
        return _drivers[host]


def report(task, *args):
    send(f"compute.conductor.{task}", args, "conductor")


def _console(driver, instance):
    """The tail of the guest's console (at most COMPUTE_CONSOLE_TAIL_BYTES, cut at a line start)."""
    try:
        text = driver.get_console_output(instance)
    except Exception:  # noqa: BLE001 - a guest without a console log still reports its state
        return ""
    limit = settings.COMPUTE_CONSOLE_TAIL_BYTES
    if len(text) > limit:
        text = text[-limit:]
        text = text[text.find("\n") + 1:] if "\n" in text[:-1] else text
    return text


# host -> {instance id -> console signature last sent}: what this worker already told the conductor.
_console_sent = {}


def _console_signature(driver, instance):
    try:
        return driver.console_signature(instance)
    except Exception:  # noqa: BLE001 - a guest gone between the listing and now
        return None


def changed_consoles(host, driver, instance_ids):
    """{instance id: console tail} of the guests whose console changed since this worker last sent it."""
    sent = _console_sent.setdefault(host, {})
    for gone in set(sent) - set(instance_ids):
        del sent[gone]
    consoles = {}
    for instance_id in instance_ids:
        signature = _console_signature(driver, {"id": instance_id, "host": host})
        if signature is None or sent.get(instance_id) == signature:
            continue
        consoles[instance_id] = _console(driver, {"id": instance_id, "host": host})
        sent[instance_id] = signature
    return consoles


def refresh_console(instance, request_id):
    """Someone is reading the console: send it now rather than at the next report."""
    host = instance["host"]
    driver = driver_for(host)
    signature = _console_signature(driver, instance)
    # No console here (a guest mid-migration, a file not written yet): the reader keeps the stored text.
    report("console_reported", instance["id"], host, None if signature is None else _console(driver, instance))
    if signature is not None:
        _console_sent.setdefault(host, {})[instance["id"]] = signature


def _power(driver, instance):
    try:
        return driver.get_info(instance)["power_state"]
    except Exception:  # noqa: BLE001
        return 0


def _error(exc):
    return str(exc) if isinstance(exc, DriverError) else f"{type(exc).__name__}: {exc}"


def build_and_run_instance(instance, request_id):
    host = instance["host"]
    driver = driver_for(host)
    try:
        user_data = base64.b64decode(instance["user_data"]).decode("utf-8", "replace") if instance.get(
            "user_data") else None
        driver.spawn(instance, instance.get("image") or {}, instance.get("network_info") or [], user_data,
                     instance.get("key_data"), block_device_info=instance.get("block_device_info"))
    except Exception as exc:  # noqa: BLE001 - every failure goes back to the conductor for a reschedule
        log.warning("build of %s on %s failed: %s", instance["id"], host, exc)
        try:
            driver.destroy(instance)
        except Exception:  # noqa: BLE001
            pass
        report("build_failed", instance["id"], host, request_id, _error(exc))
        return
    report("build_succeeded", instance["id"], host, request_id, _power(driver, instance), _console(driver, instance))


OPERATIONS = {
    "stop": lambda d, i, p: d.power_off(i),
    "start": lambda d, i, p: d.power_on(i),
    "reboot_soft": lambda d, i, p: d.reboot(i, "SOFT"),
    "reboot_hard": lambda d, i, p: d.reboot(i, "HARD"),
    "pause": lambda d, i, p: d.pause(i),
    "unpause": lambda d, i, p: d.unpause(i),
    "suspend": lambda d, i, p: d.suspend(i),
    "resume": lambda d, i, p: d.resume(i),
    "rebuild": lambda d, i, p: d.rebuild(i, p.get("image") or i.get("image") or {}),
}


def operate(instance, operation, params, request_id):
    host = instance["host"]
    driver = driver_for(host)
    error = None
    try:
        OPERATIONS[operation](driver, instance, params or {})
    except Exception as exc:  # noqa: BLE001
        error = _error(exc)
    report("operation_done", instance["id"], operation, request_id, host, _power(driver, instance),
           _console(driver, instance), error)


def terminate_instance(instance, request_id):
    host = instance["host"]
    error = None
    try:
        driver_for(host).destroy(instance)
    except Exception as exc:  # noqa: BLE001
        error = _error(exc)
    report("instance_terminated", instance["id"], host, request_id, error)


def snapshot_instance(instance, image_id, request_id):
    host = instance["host"]
    driver = driver_for(host)
    data, error = b"", None
    try:
        data = driver.snapshot(instance)
    except Exception as exc:  # noqa: BLE001
        error = _error(exc)
    report("snapshot_done", instance["id"], image_id, request_id, host, base64.b64encode(data).decode(),
           _console(driver, instance), error)


def resize_source(instance, dest, flavor, request_id):
    host = instance["host"]
    disk, error = None, None
    try:
        disk = driver_for(host).migrate_disk_and_power_off(instance, dest, flavor)
    except Exception as exc:  # noqa: BLE001
        error = _error(exc)
    report("resize_source_done", instance["id"], request_id, host, disk, error)


def finish_resize(instance, disk, power_on, request_id):
    host = instance["host"]
    driver = driver_for(host)
    error = None
    try:
        driver.finish_migration(instance, instance["flavor"], power_on=power_on, disk=disk)
    except Exception as exc:  # noqa: BLE001
        error = _error(exc)
    report("resize_finished", instance["id"], request_id, host, _power(driver, instance),
           _console(driver, instance), error)


def confirm_resize_source(instance, request_id):
    try:
        driver_for(_previous_host(instance)).confirm_migration(instance)
    except Exception:  # noqa: BLE001 - nothing left to clean is fine
        log.info("nothing to clean for %s", instance["id"])


def _previous_host(instance):
    return instance.get("previous_host") or instance["host"]


def destroy_migrated(instance, request_id):
    try:
        driver_for(instance["host"]).destroy(instance)
    except Exception:  # noqa: BLE001
        log.info("nothing to destroy for %s on %s", instance["id"], instance["host"])


def finish_revert_resize(instance, request_id):
    host = instance["host"]
    driver = driver_for(host)
    error = None
    try:
        driver.finish_revert_migration(instance, power_on=True)
    except Exception as exc:  # noqa: BLE001
        error = _error(exc)
    report("revert_finished", instance["id"], request_id, host, _power(driver, instance),
           _console(driver, instance), error)


# -- the periodic report -----------------------------------------------------------------------

def report_host(host):
    driver = driver_for(host)
    read_at = time.time()
    power_states = driver.power_states() if hasattr(driver, "power_states") else {
        uuid: driver.get_info({"id": uuid})["power_state"] for uuid in driver.list_instances()}
    consoles = changed_consoles(host, driver, list(power_states))
    report("host_report", host, settings.COMPUTE_AVAILABILITY_ZONE, driver.get_available_resource(), power_states,
           read_at, consoles)


def served_hosts():
    hosts = [h.strip() for h in settings.COMPUTE_HOST.split(",") if h.strip()]
    return hosts or [settings.COMPUTE_HOST]


class Reporter(threading.Thread):
    """Per-worker timer: heartbeat, capacity, power states and changed consoles every
    COMPUTE_REPORT_INTERVAL seconds.

    A timer in the host's own worker rather than Celery beat: beat is one process for the whole cloud
    and cannot address "every host"; a dead host's timer dies with it, which is what marks it down.
    """

    def __init__(self, hosts, interval):
        super().__init__(name="compute-reporter", daemon=True)
        self.hosts, self.interval = hosts, interval
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            for host in self.hosts:
                try:
                    report_host(host)
                except Exception:  # noqa: BLE001 - the next tick tries again
                    log.exception("report of %s failed", host)
            self.stopped.wait(self.interval)


_reporter = {}


def start_reporter():
    if "thread" not in _reporter:
        _reporter["thread"] = Reporter(served_hosts(), settings.COMPUTE_REPORT_INTERVAL)
        _reporter["thread"].start()
    return _reporter["thread"]
