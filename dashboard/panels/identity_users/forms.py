from django import forms

from dashboard.forms import DashboardForm
from dashboard.panels._identity import domain_choices, project_choices, role_choices


class PasswordPair(DashboardForm):
    password = forms.CharField(widget=forms.PasswordInput, max_length=4096)
    confirm_password = forms.CharField(widget=forms.PasswordInput, max_length=4096)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("confirm_password"):
            self.add_error("confirm_password", "The passwords do not match.")
        return data


class CreateUserForm(PasswordPair):
    domain_id = forms.ChoiceField(label="Domain")
    name = forms.CharField(label="User Name", max_length=255)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    email = forms.EmailField(required=False)
    default_project_id = forms.ChoiceField(label="Primary Project", required=False)
    role_id = forms.ChoiceField(label="Role", required=False,
                                help_text="Granted on the primary project when one is chosen.")
    enabled = forms.BooleanField(required=False, initial=True)

    field_order = ["domain_id", "name", "description", "email", "password", "confirm_password",
                   "default_project_id", "role_id", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain_id"].choices = domain_choices(self.ctx)
        self.fields["domain_id"].initial = self.ctx.project_domain_id
        self.fields["default_project_id"].choices = project_choices(self.ctx)
        self.fields["role_id"].choices = role_choices(self.ctx)
        member = [i for i, n in self.fields["role_id"].choices if n == "member"]
        if member:
            self.fields["role_id"].initial = member[0]


class EditUserForm(DashboardForm):
    name = forms.CharField(label="User Name", max_length=255)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    email = forms.EmailField(required=False)
    default_project_id = forms.ChoiceField(label="Primary Project", required=False)
    enabled = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_project_id"].choices = project_choices(self.ctx)


class AddRoleForm(DashboardForm):
    project_id = forms.ChoiceField(label="Project")
    role_id = forms.ChoiceField(label="Role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_id"].choices = project_choices(self.ctx, blank=False)
        self.fields["role_id"].choices = role_choices(self.ctx)
