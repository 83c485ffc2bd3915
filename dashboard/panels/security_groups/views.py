from dashboard.panels._network import rows
from dashboard.panels.security_groups import forms, tables
from dashboard.views.base import ModalFormView, TableView, run_table_action
from network import render
from network.services import security_groups


class IndexView(TableView):
    table_class = tables.SecurityGroupsTable
    page_title = "Security Groups"

    def get_data(self):
        return rows("security_group", security_groups.list_security_groups(self.request.ctx), self.request.ctx)


class CreateView(ModalFormView):
    form_class = forms.SecurityGroupForm
    page_title = "Create Security Group"
    submit_label = "Create Security Group"
    success_message = 'Security group "{name}" created.'

    def perform(self, form):
        security_groups.create_security_group(self.request.ctx, dict(form.cleaned_data))


class DetailView(TableView):
    table_class = tables.RulesTable

    def dispatch(self, request, *args, **kwargs):
        self.group = security_groups.get_security_group(request.ctx, kwargs["group_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Manage Security Group Rules: {self.group.name} ({self.group.id[:8]})"

    def get_breadcrumbs(self):
        return [(self.group.name, None)]

    def get_data(self):
        group = render.prefetch_for(type(self.group).objects.filter(pk=self.group.pk), "security_group").get()
        return render.security_group(group)["security_group_rules"]

    def get_table(self):
        return tables.RulesTable(self.request, self.get_data(), group_id=self.group.id)

    def post(self, request, *args, **kwargs):
        return run_table_action(request, tables.RulesTable(request, []))


class AddRuleView(ModalFormView):
    form_class = forms.RuleForm
    page_title = "Add Rule"
    submit_label = "Add"
    success_message = "Rule added."

    def perform(self, form):
        security_groups.create_rule(self.request.ctx, form.body(self.kwargs["group_id"]))

