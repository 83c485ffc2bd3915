from django import forms

from dashboard.forms import DashboardForm
from dashboard.panels._identity import domain_choices, group_choices, role_choices, user_choices


class ProjectForm(DashboardForm):
    name = forms.CharField(max_length=255)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    enabled = forms.BooleanField(required=False, initial=True)


class CreateProjectForm(ProjectForm):
    domain_id = forms.ChoiceField(label="Domain")

    field_order = ["domain_id", "name", "description", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain_id"].choices = domain_choices(self.ctx)
        self.fields["domain_id"].initial = self.ctx.project_domain_id


class AddMemberForm(DashboardForm):
    actor = forms.ChoiceField(label="User or group")
    role_id = forms.ChoiceField(label="Role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [
            ("Users", [(f"user:{i}", n) for i, n in user_choices(self.ctx)]),
            ("Groups", [(f"group:{i}", n) for i, n in group_choices(self.ctx)]),
        ]
        self.fields["role_id"].choices = role_choices(self.ctx)
        member = [i for i, n in self.fields["role_id"].choices if n == "member"]
        if member:
            self.fields["role_id"].initial = member[0]
