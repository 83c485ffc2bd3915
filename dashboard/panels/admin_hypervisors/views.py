"""Admin: hypervisors with their usage, and the compute services (enable/disable) on one page."""

from django.utils.html import format_html

from compute.services import hosts
from dashboard import tables
from dashboard.views.base import TableView, run_table_action


def _usage(used, total):
    percent = min(100, round(100 * used / total)) if total else 0
    return format_html('{} / {} <div class="progress" style="height:4px"><div class="progress-bar" '
                       'style="width:{}%"></div></div>', used, total, percent)


class HypervisorsTable(tables.Table):
    name = "hypervisors"
    verbose_name = "Hypervisors"
    columns = [tables.Column("hypervisor_hostname", label="Hostname"), tables.Column("hypervisor_type", label="Type"),
               tables.Column("vcpus", label="vCPUs (used / total)",
                             accessor=lambda n: _usage(n.vcpus_used, n.vcpus), sortable=False),
               tables.Column("memory", label="RAM MB (used / total)",
                             accessor=lambda n: _usage(n.memory_mb_used, n.memory_mb), sortable=False),
               tables.Column("disk", label="Local disk GB (used / total)",
                             accessor=lambda n: _usage(n.local_gb_used, n.local_gb), sortable=False),
               tables.Column("running_vms", label="Instances"),
               tables.StatusColumn("state", accessor=lambda n: "up" if n.service.is_up() else "down",
                                   sortable=False)]
    default_sort = "hypervisor_hostname"
    empty_message = "No hypervisors."


class ServiceToggle(tables.PostAction):
    def __init__(self, enable):
        super().__init__("enable" if enable else "disable", "Enable Service" if enable else "Disable Service",
                         classes="btn-outline-secondary",
                         allowed=lambda request, row: row is None or row.disabled == enable)
        self.enable = enable

    def handle(self, request, object_id):
        hosts.update_service(request.ctx, service_id=object_id, status="enabled" if self.enable else "disabled",
                             disabled_reason=None if self.enable else "disabled in the dashboard")


class ServicesTable(tables.Table):
    name = "services"
    verbose_name = "Compute Services"
    prefix = "services-"
    columns = [tables.Column("binary"), tables.Column("host"), tables.Column("availability_zone", label="Zone"),
               tables.Column("status", accessor=lambda s: "disabled" if s.disabled else "enabled", sortable=False),
               tables.StatusColumn("state", accessor=lambda s: "up" if s.is_up() else "down", sortable=False),
               tables.Column("last_seen_up", label="Last heartbeat"),
               tables.Column("disabled_reason", label="Reason")]
    row_actions = [ServiceToggle(False), ServiceToggle(True)]
    default_sort = "host"


class IndexView(TableView):
    table_class = HypervisorsTable
    page_title = "Hypervisors"
    template_name = "dashboard/compute/hypervisors.html"

    def get_data(self):
        return hosts.list_hypervisors(self.request.ctx)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["services_table"] = ServicesTable(self.request, hosts.list_services(self.request.ctx))
        context["stats"] = hosts.hypervisor_statistics(self.request.ctx)
        return context

    def post(self, request, *args, **kwargs):
        return run_table_action(request, ServicesTable(request, []))  # the hypervisors table has no actions
