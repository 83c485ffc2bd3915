"""The instances table: status that follows running tasks, row and batch actions calling compute.services."""

from django.urls import reverse

from compute import services
from compute.services import states
from dashboard import tables

TASK_LABELS = {"scheduling": "Scheduling", "networking": "Networking", "spawning": "Spawning",
               "powering-off": "Powering Off", "powering-on": "Powering On", "rebooting": "Rebooting",
               "rebooting_hard": "Rebooting", "pausing": "Pausing", "unpausing": "Unpausing",
               "suspending": "Suspending", "resuming": "Resuming", "rebuilding": "Rebuilding",
               "resize_prep": "Preparing Resize", "resize_migrating": "Resizing", "resize_migrated": "Resizing",
               "resize_finish": "Finishing Resize", "resize_confirming": "Confirming Resize",
               "resize_reverting": "Reverting Resize", "image_snapshot": "Snapshotting", "deleting": "Deleting"}
FINAL = ("Active", "Error", "Shutoff", "Paused", "Suspended", "Verify_Resize", "Deleted")


def display_status(row):
    """Nova's status, or the running task (so the row keeps refreshing until the task ends)."""
    if row.task_state:
        return TASK_LABELS.get(row.task_state, row.task_state.title())
    return states.status_from_state(row.vm_state, row.task_state).title()


def addresses(row):
    return ", ".join(ip.get("ip_address", "") for vif in row.network_info or [] for ip in vif.get("fixed_ips") or [])


def _detail(row):
    return reverse("dashboard:project:instances:detail", args=[row.id])


def _status(row):
    return states.status_from_state(row.vm_state, row.task_state)


def _when(*allowed):
    return lambda request, row: row is None or (not row.task_state and _status(row) in allowed)


class HostAction(tables.PostAction):
    def __init__(self, operation, label, allowed, **kwargs):
        kwargs.setdefault("classes", "btn-outline-secondary")
        super().__init__(operation, label, allowed=_when(*allowed), **kwargs)
        self.operation = operation

    def handle(self, request, object_id):
        services.host_action(request.ctx, object_id, self.operation)


class LockAction(tables.PostAction):
    def __init__(self, lock):
        super().__init__("lock" if lock else "unlock", "Lock" if lock else "Unlock", classes="btn-outline-secondary",
                         allowed=lambda request, row: row is None or row.locked != lock)
        self.lock = lock

    def handle(self, request, object_id):
        services.set_lock(request.ctx, object_id, self.lock)


class ResizeDecision(tables.PostAction):
    def __init__(self, confirm):
        super().__init__("confirm_resize" if confirm else "revert_resize",
                         "Confirm Resize" if confirm else "Revert Resize", classes="btn-outline-primary",
                         allowed=_when("VERIFY_RESIZE"))
        self.confirm_it = confirm

    def handle(self, request, object_id):
        (services.confirm_resize if self.confirm_it else services.revert_resize)(request.ctx, object_id)


def _modal(name, label, url_name, allowed):
    return tables.ModalAction(name, label, url=lambda row: reverse(f"dashboard:project:instances:{url_name}",
                                                                   args=[row.id]), allowed=_when(*allowed))


ROW_ACTIONS = [
    HostAction("stop", "Shut Off", ("ACTIVE", "ERROR")),
    HostAction("start", "Start", ("SHUTOFF",)),
    HostAction("reboot_soft", "Soft Reboot", ("ACTIVE",)),
    HostAction("reboot_hard", "Hard Reboot", ("ACTIVE", "SHUTOFF", "PAUSED", "SUSPENDED", "ERROR")),
    HostAction("pause", "Pause", ("ACTIVE",)),
    HostAction("unpause", "Resume (unpause)", ("PAUSED",)),
    HostAction("suspend", "Suspend", ("ACTIVE",)),
    HostAction("resume", "Resume", ("SUSPENDED",)),
    _modal("snapshot", "Create Snapshot", "snapshot", ("ACTIVE", "SHUTOFF", "PAUSED", "SUSPENDED")),
    _modal("resize", "Resize", "resize", ("ACTIVE", "SHUTOFF")),
    _modal("rebuild", "Rebuild", "rebuild", ("ACTIVE", "SHUTOFF", "ERROR")),
    ResizeDecision(True),
    ResizeDecision(False),
    LockAction(True),
    LockAction(False),
    tables.DeleteAction(services.delete_server, "instance"),
]


class InstancesTable(tables.Table):
    name = "instances"
    columns = [
        tables.Column("name", link=_detail),
        tables.Column("image", accessor=lambda row: (row.image_info or {}).get("name") or row.image_ref,
                      sortable=False),
        tables.Column("addresses", label="IP Address", accessor=addresses, sortable=False),
        tables.Column("flavor", accessor=lambda row: row.flavor.name, order_by="flavor__name"),
        tables.Column("key_name", label="Key Pair"),
        tables.StatusColumn("status", accessor=display_status, final=FINAL,
                            styles={"SHUTOFF": "secondary", "VERIFY_RESIZE": "info", "PAUSED": "secondary",
                                    "SUSPENDED": "secondary"}),
        tables.Column("availability_zone", label="Availability Zone"),
        tables.Column("power_state", label="Power State",
                      display=lambda v: {0: "No State", 1: "Running", 3: "Paused", 4: "Shutdown", 6: "Crashed",
                                         7: "Suspended"}.get(v, v), empty="No State"),
        tables.Column("created_at", label="Age", display=lambda v: v.strftime("%Y-%m-%d %H:%M")),
    ]
    filter_fields = ["name"]
    default_sort = "-created_at"
    per_page = 20
    empty_message = "No instances."
    table_actions = [tables.ModalAction("launch", "Launch Instance", icon="bi-plus-lg", classes="btn-primary",
                                        url="dashboard:project:instances:launch")]
    row_actions = ROW_ACTIONS
    batch_actions = [HostAction("stop", "Shut Off Instances", ("ACTIVE", "ERROR")),
                     HostAction("start", "Start Instances", ("SHUTOFF",)),
                     HostAction("reboot_soft", "Soft Reboot Instances", ("ACTIVE",)),
                     tables.DeleteAction(services.delete_server, "instance")]


class ActionLogTable(tables.Table):
    name = "actions"
    verbose_name = "Action Log"
    prefix = "actions-"
    columns = [tables.Column("request_id", label="Request ID", sortable=False),
               tables.Column("action"), tables.Column("start_time", label="Start Time",
                                                      display=lambda v: v.strftime("%Y-%m-%d %H:%M:%S")),
               tables.Column("user_id", label="User ID", sortable=False),
               tables.Column("message", empty="-", sortable=False)]
    default_sort = "-start_time"
    per_page = 50


class InterfacesTable(tables.Table):
    name = "interfaces"
    verbose_name = "Interfaces"
    prefix = "interfaces-"
    columns = [tables.Column("network_name", label="Network"), tables.Column("port_id", label="Port ID"),
               tables.Column("mac_address", label="MAC Address"),
               tables.Column("ips", label="Fixed IPs", accessor=lambda r: ", ".join(
                   f.get("ip_address", "") for f in r.get("fixed_ips") or []), sortable=False)]
