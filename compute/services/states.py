"""Nova's vm_state / task_state vocabulary and the API `status` derived from them (nova.api.openstack.common)."""

ACTIVE, BUILDING, PAUSED, SUSPENDED, STOPPED = "active", "building", "paused", "suspended", "stopped"
RESCUED, RESIZED, SOFT_DELETED, DELETED, ERROR = "rescued", "resized", "soft-delete", "deleted", "error"
SHELVED, SHELVED_OFFLOADED = "shelved", "shelved_offloaded"

SCHEDULING, NETWORKING, SPAWNING, BLOCK_DEVICE_MAPPING = "scheduling", "networking", "spawning", "block_device_mapping"
IMAGE_SNAPSHOT, IMAGE_UPLOADING = "image_snapshot", "image_uploading"
REBOOTING, REBOOTING_HARD = "rebooting", "rebooting_hard"
PAUSING, UNPAUSING, SUSPENDING, RESUMING = "pausing", "unpausing", "suspending", "resuming"
POWERING_OFF, POWERING_ON = "powering-off", "powering-on"
REBUILDING, REBUILD_SPAWNING = "rebuilding", "rebuild_spawning"
RESIZE_PREP, RESIZE_MIGRATING, RESIZE_MIGRATED, RESIZE_FINISH = (
    "resize_prep", "resize_migrating", "resize_migrated", "resize_finish")
RESIZE_REVERTING, RESIZE_CONFIRMING = "resize_reverting", "resize_confirming"
MIGRATING, DELETING = "migrating", "deleting"

_RESIZE = {RESIZE_PREP: "RESIZE", RESIZE_MIGRATING: "RESIZE", RESIZE_MIGRATED: "RESIZE", RESIZE_FINISH: "RESIZE"}
_REBUILD = {REBUILDING: "REBUILD", REBUILD_SPAWNING: "REBUILD", "rebuild_block_device_mapping": "REBUILD"}

STATE_MAP = {
    ACTIVE: {"default": "ACTIVE", REBOOTING: "REBOOT", "reboot_pending": "REBOOT", "reboot_started": "REBOOT",
             REBOOTING_HARD: "HARD_REBOOT", "reboot_pending_hard": "HARD_REBOOT",
             "reboot_started_hard": "HARD_REBOOT", "updating_password": "PASSWORD", MIGRATING: "MIGRATING",
             **_REBUILD, **_RESIZE},
    BUILDING: {"default": "BUILD"},
    STOPPED: {"default": "SHUTOFF", **_RESIZE, **_REBUILD},
    RESIZED: {"default": "VERIFY_RESIZE", RESIZE_REVERTING: "REVERT_RESIZE"},
    PAUSED: {"default": "PAUSED", MIGRATING: "MIGRATING"},
    SUSPENDED: {"default": "SUSPENDED"},
    RESCUED: {"default": "RESCUE"},
    ERROR: {"default": "ERROR", **_REBUILD},
    DELETED: {"default": "DELETED"},
    SOFT_DELETED: {"default": "SOFT_DELETED"},
    SHELVED: {"default": "SHELVED"},
    SHELVED_OFFLOADED: {"default": "SHELVED_OFFLOADED"},
}


def status_from_state(vm_state, task_state=None):
    task_map = STATE_MAP.get(vm_state, {"default": "UNKNOWN"})
    return task_map.get(task_state, task_map["default"])


def states_from_status(status):
    """The (vm_state, task_states or None) pairs a status filter means; task None = any task."""
    status = status.upper()
    result = []
    for vm_state, task_map in STATE_MAP.items():
        for task, name in task_map.items():
            if name == status:
                result.append((vm_state, None if task == "default" else task))
    return result
