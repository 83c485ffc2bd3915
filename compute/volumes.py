"""Volume attach on the compute host (no database: connection info arrives in the message) and the
conductor's record of the outcome. The host's driver attaches a `file` connection as a disk."""

import logging

log = logging.getLogger("nebula.compute")


def attach_volume(instance, attachment_id, connection_info, target, request_id):
    from compute.manager import _error, driver_for, report

    error = None
    try:
        data = (connection_info or {}).get("data") or {}
        kind = (connection_info or {}).get("driver_volume_type")
        driver = driver_for(instance["host"])
        if kind not in ("file", "fake"):
            raise ValueError(f"connection type {kind!r} is not supported by this compute host")
        driver.attach_disk(instance, data.get("path") or f"fake:{data.get('volume_id')}", target,
                           disk_format=data.get("format", "raw"))
    except Exception as exc:  # noqa: BLE001 - the conductor undoes the attachment
        log.warning("attach of %s to %s failed: %s", attachment_id, instance["id"], exc)
        error = _error(exc)
    report("volume_attached", attachment_id, error)


def detach_volume(instance, attachment_id, target, request_id):
    from compute.manager import _error, driver_for, report

    error = None
    try:
        driver_for(instance["host"]).detach_disk(instance, target)
    except Exception as exc:  # noqa: BLE001
        log.warning("detach of %s from %s failed: %s", attachment_id, instance["id"], exc)
        error = _error(exc)
    report("volume_detached", attachment_id, None, error)
