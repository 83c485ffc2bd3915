from django import forms

from dashboard.forms import DashboardForm


class CreateContainerForm(DashboardForm):
    name = forms.CharField(max_length=256)
    public = forms.BooleanField(required=False, label="Public (anyone may read and list it)")

    def clean_name(self):
        name = self.cleaned_data["name"]
        if "/" in name:
            raise forms.ValidationError("A container name cannot contain '/'.")
        return name
