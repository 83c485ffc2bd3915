from django import forms

from dashboard.forms import DashboardForm
from dashboard.panels._network import external_network_choices, subnet_choices


class CreateRouterForm(DashboardForm):
    name = forms.CharField(max_length=255)
    external_network = forms.ChoiceField(required=False, label="External network")
    admin_state_up = forms.BooleanField(required=False, initial=True, label="Enable admin state")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["external_network"].choices = [("", "(none)")] + external_network_choices(self.ctx)


class SetGatewayForm(DashboardForm):
    external_network = forms.ChoiceField(label="External network")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["external_network"].choices = external_network_choices(self.ctx)


class AddInterfaceForm(DashboardForm):
    subnet_id = forms.ChoiceField(label="Subnet")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subnet_id"].choices = subnet_choices(self.ctx)
