from django import forms

from dashboard.forms import DashboardForm
from dashboard.panels._identity import domain_choices, user_choices


class GroupForm(DashboardForm):
    name = forms.CharField(max_length=255)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CreateGroupForm(GroupForm):
    domain_id = forms.ChoiceField(label="Domain")
    field_order = ["domain_id", "name", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain_id"].choices = domain_choices(self.ctx)
        self.fields["domain_id"].initial = self.ctx.project_domain_id


class AddMembersForm(DashboardForm):
    user_ids = forms.MultipleChoiceField(label="Users", widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user_ids"].choices = user_choices(self.ctx)
