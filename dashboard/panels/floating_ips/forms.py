from django import forms

from dashboard.forms import DashboardForm
from dashboard.panels._network import associable_port_choices, external_network_choices


class AllocateForm(DashboardForm):
    pool = forms.ChoiceField(label="Pool")
    description = forms.CharField(max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].choices = external_network_choices(self.ctx)


class AssociateForm(DashboardForm):
    port = forms.ChoiceField(label="Port to be associated")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["port"].choices = associable_port_choices(self.ctx)
