from django.urls import reverse

from dashboard.panels._network import network_rows, pick_table, rows
from dashboard.panels.networks import forms, tables
from dashboard.views.base import ModalFormView, PanelView, TableView, run_table_action
from network import render
from network.services import networks, ports


class IndexView(TableView):
    table_class = tables.NetworksTable
    page_title = "Networks"

    def get_data(self):
        return network_rows(self.request.ctx)

    def get_row(self, row_id):
        return next((r for r in network_rows(self.request.ctx) if r["id"] == row_id), None)


class CreateView(ModalFormView):
    form_class = forms.CreateNetworkForm
    page_title = "Create Network"
    submit_label = "Create"
    success_message = 'Network "{name}" created.'

    def perform(self, form):
        networks.create_network_with_subnet(
            self.request.ctx, {"name": form.cleaned_data["name"],
                               "admin_state_up": form.cleaned_data["admin_state_up"]}, form.subnet_body())


class DetailView(PanelView):
    template_name = "dashboard/network/network_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.network = networks.get_network(request.ctx, kwargs["network_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Network: {self.network.name or self.network.id}"

    def get_breadcrumbs(self):
        return [(self.network.name or self.network.id, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ctx = self.request.ctx
        network = render.network(
            render.prefetch_for(type(self.network).objects.filter(pk=self.network.pk), "network").get(), ctx.is_admin)
        # Template-friendly names for the keys with a colon.
        network["router_external"] = network["router:external"]
        network["provider_network_type"] = network.get("provider:network_type")
        network["provider_segmentation_id"] = network.get("provider:segmentation_id")
        context["network"] = network
        subnets = networks.list_subnets(ctx).filter(network=self.network)
        port_rows = rows("port", ports.list_ports(ctx).filter(network=self.network), ctx)
        owned = self.network.project_id == ctx.project_id or ctx.is_admin
        context["subnets_table"] = tables.SubnetsTable(self.request, rows("subnet", subnets, ctx),
                                                       network_id=self.network.id if owned else None)
        context["ports_table"] = tables.PortsTable(self.request, port_rows, network_id=self.network.id)
        return context

    def post(self, request, *args, **kwargs):
        return run_table_action(request, pick_table(request, [tables.SubnetsTable(request, []),
                                                              tables.PortsTable(request, [])]))


class CreateSubnetView(ModalFormView):
    form_class = forms.CreateSubnetForm
    page_title = "Create Subnet"
    submit_label = "Create"
    success_message = 'Subnet "{cidr}" created.'

    def perform(self, form):
        networks.create_subnet(self.request.ctx, {**form.subnet_body(), "network_id": self.kwargs["network_id"]})

    def get_success_url(self):
        return None if self.request.htmx else reverse("dashboard:project:networks:detail",
                                                      args=[self.kwargs["network_id"]])


class CreatePortView(ModalFormView):
    form_class = forms.CreatePortForm
    page_title = "Create Port"
    submit_label = "Create"
    success_message = "Port created."

    def perform(self, form):
        body = {"network_id": self.kwargs["network_id"], "name": form.cleaned_data["name"],
                "admin_state_up": form.cleaned_data["admin_state_up"]}
        if form.cleaned_data["fixed_ip"]:
            body["fixed_ips"] = [{"ip_address": form.cleaned_data["fixed_ip"]}]
        ports.create_port(self.request.ctx, body)

    def get_success_url(self):
        return None if self.request.htmx else reverse("dashboard:project:networks:detail",
                                                      args=[self.kwargs["network_id"]])


QUOTA_CARDS = [("network", "Networks", "bi-diagram-3"), ("port", "Ports", "bi-ethernet"),
               ("router", "Routers", "bi-router"), ("floatingip", "Floating IPs", "bi-geo-alt"),
               ("security_group", "Security Groups", "bi-shield-lock")]


def overview_cards(request):
    """Quota usage cards for the project overview."""
    from network.services import quotas

    if not request.ctx.project_id:
        return []
    details = quotas.details(request.ctx, request.ctx.project_id, names=[card[0] for card in QUOTA_CARDS])
    cards = []
    for resource, title, icon in QUOTA_CARDS:
        used, limit = details[resource]["used"], details[resource]["limit"]
        cards.append({"template": "dashboard/network/quota_card.html", "resource": resource, "title": title,
                      "icon": icon, "used": used, "limit": limit,
                      "percent": min(100, round(100 * used / limit)) if limit > 0 else 0})
    return cards
