from dashboard.panels._network import network_names, router_rows
from dashboard.panels.routers import forms, tables
from dashboard.views.base import ModalFormView, PanelView, TableView, run_table_action
from network import render
from network.services import routers


class IndexView(TableView):
    table_class = tables.RoutersTable
    page_title = "Routers"

    def get_data(self):
        return router_rows(self.request.ctx)


class CreateView(ModalFormView):
    form_class = forms.CreateRouterForm
    page_title = "Create Router"
    submit_label = "Create Router"
    success_message = 'Router "{name}" created.'

    def perform(self, form):
        body = {"name": form.cleaned_data["name"], "admin_state_up": form.cleaned_data["admin_state_up"]}
        if form.cleaned_data["external_network"]:
            body["external_gateway_info"] = {"network_id": form.cleaned_data["external_network"]}
        routers.create_router(self.request.ctx, body)


class SetGatewayView(ModalFormView):
    form_class = forms.SetGatewayForm
    page_title = "Set Gateway"
    submit_label = "Set Gateway"
    success_message = "Gateway set."

    def perform(self, form):
        routers.update_router(self.request.ctx, self.kwargs["router_id"],
                              {"external_gateway_info": {"network_id": form.cleaned_data["external_network"]}})


class AddInterfaceView(ModalFormView):
    form_class = forms.AddInterfaceForm
    page_title = "Add Interface"
    submit_label = "Add Interface"
    success_message = "Interface added."

    def perform(self, form):
        routers.add_interface(self.request.ctx, self.kwargs["router_id"], {"subnet_id": form.cleaned_data["subnet_id"]})


class DetailView(PanelView):
    template_name = "dashboard/network/router_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.router = routers.get_router(request.ctx, kwargs["router_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Router: {self.router.name or self.router.id}"

    def get_breadcrumbs(self):
        return [(self.router.name or self.router.id, None)]

    def interface_rows(self):
        names = network_names(self.request.ctx)
        result = []
        for interface in self.router.interfaces.select_related("port").prefetch_related("port__allocations"):
            port = interface.port
            result.append({
                "port_id": port.id, "network_name": names.get(port.network_id, port.network_id),
                "ips": ", ".join(ip["ip_address"] for ip in render.fixed_ips(port)),
                "kind": "External Gateway" if interface.kind == "gateway" else "Internal Interface",
                "status": port.status,
            })
        return result

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        router = render.router(render.prefetch_for(type(self.router).objects.filter(pk=self.router.pk),
                                                   "router").get())
        names = network_names(self.request.ctx)
        gateway = router["external_gateway_info"] or {}
        router["external_network"] = names.get(gateway.get("network_id"), gateway.get("network_id"))
        context["router"] = router
        context["table"] = tables.InterfacesTable(self.request, self.interface_rows(), router_id=self.router.id)
        return context

    def post(self, request, *args, **kwargs):
        return run_table_action(request, tables.InterfacesTable(request, [], router_id=kwargs["router_id"]))
