from dashboard.panels._network import network_names, rows
from dashboard.panels.floating_ips import forms, tables
from dashboard.views.base import ModalFormView, TableView
from network.services import routers


class IndexView(TableView):
    table_class = tables.FloatingIPsTable
    page_title = "Floating IPs"

    def get_data(self):
        names = network_names(self.request.ctx)
        result = rows("floatingip", routers.list_floating_ips(self.request.ctx), self.request.ctx)
        for row in result:
            row["pool"] = names.get(row["floating_network_id"], row["floating_network_id"])
        return result


class AllocateView(ModalFormView):
    form_class = forms.AllocateForm
    page_title = "Allocate Floating IP"
    submit_label = "Allocate IP"
    success_message = "Floating IP allocated."

    def perform(self, form):
        routers.create_floating_ip(self.request.ctx, {"floating_network_id": form.cleaned_data["pool"],
                                                      "description": form.cleaned_data["description"]})


class AssociateView(ModalFormView):
    form_class = forms.AssociateForm
    page_title = "Associate Floating IP"
    submit_label = "Associate"
    success_message = "Floating IP associated."

    def perform(self, form):
        port_id, _, fixed_ip = form.cleaned_data["port"].partition("|")
        routers.update_floating_ip(self.request.ctx, self.kwargs["fip_id"],
                                   {"port_id": port_id, "fixed_ip_address": fixed_ip})
