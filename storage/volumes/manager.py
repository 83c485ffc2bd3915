"""The back end worker (cinder-volume): runs its driver for the tasks on queue volume.<host>@<backend>
and reports capacity and capabilities every NEBULA_VOLUME_REPORT_INTERVAL seconds."""

import logging
import shutil
import tempfile
import threading

from storage.volumes import conf
from storage.volumes.drivers.base import load_driver
from storage.volumes.services import backends as backend_services
from storage.volumes.services import worker

log = logging.getLogger("nebula.volumes")
_drivers = {}
_lock = threading.Lock()


def driver_for(service_host):
    """The configured driver of `host@backend` (this host's NEBULA_VOLUME_BACKENDS)."""
    with _lock:
        if service_host not in _drivers:
            backend = service_host.partition("@")[2]
            spec = conf.backends().get(backend)
            if spec is None:
                raise LookupError(f"back end {backend!r} is not configured on this host")
            _drivers[service_host] = load_driver(spec["driver"], backend, spec["options"])
        return _drivers[service_host]


def _describe(error):
    return f"{type(error).__name__}: {error}" if not str(error).startswith(type(error).__name__) else str(error)


def _fetch_image(image_id, directory):
    from core.context import RequestContext
    from storage.images.services.data import open_image_data

    path = tempfile.NamedTemporaryFile(dir=directory, delete=False, prefix="image-", suffix=".part").name
    with open_image_data(RequestContext.internal(), image_id) as source, open(path, "wb") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)
    return path


def create_volume(service_host, volume_id):
    job = worker.create_job(volume_id)
    if job is None:
        return
    volume, source = job
    try:
        driver = driver_for(service_host)
        if source["kind"] == "snapshot":
            update = driver.create_volume_from_snapshot(volume, source["snapshot"], source["volume"])
        elif source["kind"] == "volume":
            update = driver.create_cloned_volume(volume, source["volume"])
        elif source["kind"] == "image":
            image_path = _fetch_image(source["image_id"], tempfile.gettempdir())
            try:
                update = driver.create_volume_from_image(volume, image_path, source["disk_format"])
            finally:
                import os

                os.unlink(image_path)
        else:
            update = driver.create_volume(volume)
    except Exception as error:  # noqa: BLE001 - every failure leaves the volume in error with its reason
        log.warning("create of volume %s on %s failed: %s", volume_id, service_host, error)
        worker.volume_create_failed(volume_id, _describe(error))
        return
    if not worker.volume_created(volume_id, update or {}):
        # Failed (timed out) or deleted meanwhile: do not leave the data behind.
        try:
            driver.delete_volume({**volume, **(update or {})})
        except Exception:  # noqa: BLE001
            log.exception("cleanup of abandoned volume %s failed", volume_id)


def delete_volume(service_host, volume_id):
    from storage.volumes.models import Volume

    volume = Volume.objects.filter(pk=volume_id).prefetch_related("snapshots").first()
    if volume is None:
        return
    try:
        driver = driver_for(service_host)
        for snapshot in volume.snapshots.all():
            driver.delete_snapshot(worker.snapshot_dict(snapshot), worker.volume_dict(volume))
        driver.delete_volume(worker.volume_dict(volume))
    except Exception as error:  # noqa: BLE001
        worker.volume_delete_failed(volume_id, _describe(error))
        return
    worker.volume_deleted(volume_id)


def extend_volume(service_host, volume_id, new_size):
    from storage.volumes.models import Volume

    volume = Volume.objects.filter(pk=volume_id, status="extending").first()
    if volume is None:
        return
    try:
        driver_for(service_host).extend_volume(worker.volume_dict(volume), new_size)
    except Exception as error:  # noqa: BLE001
        worker.volume_extend_failed(volume_id, new_size, _describe(error))
        return
    worker.volume_extended(volume_id, new_size)


def upload_image(service_host, volume_id, image_id, disk_format):
    """The volume's bytes into a queued image (raw, or converted to qcow2)."""
    import os

    from core.context import RequestContext
    from storage.images.services.data import upload_image_data
    from storage.volumes.drivers.file import qemu_img
    from storage.volumes.models import Volume

    volume = Volume.objects.filter(pk=volume_id, status="uploading").first()
    if volume is None:
        return
    error = None
    try:
        with tempfile.TemporaryDirectory(prefix="nebula-upload-") as scratch:
            path = os.path.join(scratch, "volume.raw")
            driver_for(service_host).export_raw(worker.volume_dict(volume), path)
            if disk_format == "qcow2":
                converted = os.path.join(scratch, "volume.qcow2")
                qemu_img("convert", "-f", "raw", "-O", "qcow2", path, converted)
                path = converted
            with open(path, "rb") as handle:
                upload_image_data(RequestContext.internal(), image_id, handle, expected_size=os.path.getsize(path))
    except Exception as exc:  # noqa: BLE001 - the volume must not stay `uploading`
        log.warning("upload of volume %s to image %s failed: %s", volume_id, image_id, exc)
        error = _describe(exc)
    worker.upload_finished(volume_id, image_id, error)


def create_snapshot(service_host, snapshot_id):
    job = worker.snapshot_job(snapshot_id)
    if job is None:
        return
    snapshot, volume = job
    try:
        update = driver_for(service_host).create_snapshot(snapshot, volume)
    except Exception as error:  # noqa: BLE001
        worker.snapshot_failed(snapshot_id, _describe(error))
        return
    worker.snapshot_created(snapshot_id, update or {})


def delete_snapshot(service_host, snapshot_id):
    job = worker.snapshot_job(snapshot_id)
    if job is None:
        return
    snapshot, volume = job
    try:
        driver_for(service_host).delete_snapshot(snapshot, volume)
    except Exception as error:  # noqa: BLE001
        worker.snapshot_failed(snapshot_id, _describe(error), status="error_deleting", from_status="deleting")
        return
    worker.snapshot_deleted(snapshot_id)


# -- the periodic report -----------------------------------------------------------------------

def report(service_host):
    host, _, backend = service_host.partition("@")
    spec = conf.backends()[backend]
    stats = driver_for(service_host).get_stats()
    backend_services.report(host, backend, spec["driver"], spec["options"], stats, conf.availability_zone())


def served_backends(queue_names):
    """The `host@backend` this worker serves: its queues volume.<this host>@<a configured back end>."""
    host = conf.volume_host()
    configured = conf.backends()
    served = []
    for name in queue_names:
        if name.startswith(f"volume.{host}@") and name.split("@", 1)[1] in configured:
            served.append(name[len("volume."):])
    return served


class Reporter(threading.Thread):
    """Per-worker timer, as compute's: a dead worker's reports stop, which marks its back end down."""

    def __init__(self, service_hosts, interval, extra_binaries=()):
        super().__init__(name="volume-reporter", daemon=True)
        self.service_hosts, self.interval, self.extra_binaries = service_hosts, interval, extra_binaries
        self.stopped = threading.Event()

    def run(self):
        from django.db import close_old_connections

        while not self.stopped.is_set():
            close_old_connections()
            for service_host in self.service_hosts:
                try:
                    report(service_host)
                except Exception:  # noqa: BLE001 - the next tick tries again
                    log.exception("report of %s failed", service_host)
            for binary in self.extra_binaries:
                try:
                    backend_services.heartbeat(binary, conf.volume_host(), conf.availability_zone())
                except Exception:  # noqa: BLE001
                    log.exception("heartbeat of %s failed", binary)
            self.stopped.wait(self.interval)


_reporter = {}


def start_reporter(queue_names):
    served = served_backends(queue_names)
    binaries = [b for q, b in ((conf.SCHEDULER_QUEUE, "cinder-scheduler"), (conf.BACKUP_QUEUE, "cinder-backup"))
                if q in queue_names]
    if (served or binaries) and "thread" not in _reporter:
        _reporter["thread"] = Reporter(served, conf.report_interval(), binaries)
        _reporter["thread"].start()
    return _reporter.get("thread")
