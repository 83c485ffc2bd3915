"""The Instances panel (project): table with live status, launch, actions, detail (overview, console log,
action log, interfaces); the overview's compute quota cards. Views call compute.services with request.ctx."""

from django.contrib import messages
from django.http import HttpResponse

from compute import services
from compute.models import InstanceAction
from compute.services import limits, states
from dashboard.panels.instances import forms, tables
from dashboard.views.base import ModalFormView, PanelView, TableView, run_table_action


class IndexView(TableView):
    table_class = tables.InstancesTable
    page_title = "Instances"
    all_projects = False

    def get_data(self):
        filters = {"all_tenants": "1"} if self.all_projects else {}
        rows, _ = services.list_servers(self.request.ctx, filters)
        return rows

    def get_row(self, row_id):
        return services.get_server(self.request.ctx, row_id)


class LaunchView(ModalFormView):
    form_class = forms.LaunchForm
    page_title = "Launch Instance"
    submit_label = "Launch Instance"

    def perform(self, form):
        instances, _ = form.launch()
        messages.success(self.request, f'Launched {len(instances)} instance(s) "{form.cleaned_data["name"]}".')


class _InstanceForm(ModalFormView):
    def dispatch(self, request, *args, **kwargs):
        self.instance = services.get_server(request.ctx, kwargs["server_id"])
        return super().dispatch(request, *args, **kwargs)


class ResizeView(_InstanceForm):
    form_class = forms.ResizeForm
    page_title = "Resize Instance"
    submit_label = "Resize"
    success_message = "Resize started: confirm or revert it when the instance shows Verify_Resize."

    def perform(self, form):
        services.resize(self.request.ctx, self.instance.id, form.cleaned_data["flavor"])


class RebuildView(_InstanceForm):
    form_class = forms.RebuildForm
    page_title = "Rebuild Instance"
    submit_label = "Rebuild"
    success_message = "Rebuild started."

    def perform(self, form):
        services.rebuild(self.request.ctx, self.instance.id, form.cleaned_data["image"])


class SnapshotView(_InstanceForm):
    form_class = forms.SnapshotForm
    page_title = "Create Snapshot"
    submit_label = "Create Snapshot"
    success_message = 'Snapshot "{name}" is being taken; it appears under Images.'

    def perform(self, form):
        services.create_image(self.request.ctx, self.instance.id, form.cleaned_data["name"])


class DetailView(PanelView):
    template_name = "dashboard/compute/instance_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.instance = services.get_server(request.ctx, kwargs["server_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Instance: {self.instance.name}"

    def get_breadcrumbs(self):
        return [(self.instance.name, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instance = self.instance
        context.update(
            instance=instance, status=tables.display_status(instance),
            nova_status=states.status_from_state(instance.vm_state, instance.task_state),
            fault=(instance.fault_rows or [None])[0] if hasattr(instance, "fault_rows") else None,
            addresses=tables.addresses(instance), tab=self.request.GET.get("tab", "overview"),
            actions_table=tables.ActionLogTable(
                self.request, list(InstanceAction.objects.filter(instance=instance).order_by("-start_time"))),
            interfaces_table=tables.InterfacesTable(self.request, list(instance.network_info or [])),
            actions=[a for a in tables.ROW_ACTIONS if a.allowed(self.request, instance)])
        return context

    def post(self, request, *args, **kwargs):
        return run_table_action(request, tables.InstancesTable(request, [self.instance]))


class ConsoleView(PanelView):
    """The console log as text (the detail page's Console Log tab loads it with htmx)."""

    def get(self, request, server_id):
        try:
            output = services.console_output(request.ctx, server_id, request.GET.get("length") or None)
        except Exception as error:  # noqa: BLE001 - a building server has no log yet: say so in the tab
            output = getattr(error, "message", str(error))
        return HttpResponse(output, content_type="text/plain; charset=utf-8")


def overview_cards(request):
    """Compute quota usage for the project overview: instances, vCPUs, RAM."""
    if not request.ctx.project_id:
        return []
    usage = limits.instance_usage(request.ctx)
    cards = []
    for resource, title, icon in (("instances", "Instances", "bi-hdd-stack"), ("cores", "vCPUs", "bi-cpu"),
                                  ("ram", "RAM (MB)", "bi-memory")):
        used, limit = usage[resource]["used"], usage[resource]["limit"]
        cards.append({"template": "dashboard/compute/quota_card.html", "resource": resource, "title": title,
                      "icon": icon, "used": used, "limit": limit,
                      "percent": min(100, round(100 * used / limit)) if limit > 0 else 0})
    return cards
