from django.urls import reverse

from dashboard.panels._identity import assignment_rows, domain_names
from dashboard.panels.identity_projects import forms, tables
from dashboard.views.base import ModalFormView, PanelView, TableView, run_table_action
from identity.services import assignments, projects


class IndexView(TableView):
    table_class = tables.ProjectsTable
    page_title = "Projects"

    def get_data(self):
        names = domain_names(self.request.ctx)
        rows = projects.list_projects(self.request.ctx)
        for row in rows:
            row.domain_name = names.get(row.domain_id, row.domain_id)
        return rows


class CreateView(ModalFormView):
    form_class = forms.CreateProjectForm
    page_title = "Create Project"
    submit_label = "Create Project"
    success_message = 'Project "{name}" created.'

    def perform(self, form):
        projects.create_project(self.request.ctx, **form.cleaned_data)


class EditView(ModalFormView):
    form_class = forms.ProjectForm
    page_title = "Edit Project"
    submit_label = "Save"
    success_message = 'Project "{name}" updated.'

    def get_initial(self):
        project = projects.get_project(self.request.ctx, self.kwargs["project_id"])
        return {"name": project.name, "description": project.description, "enabled": project.enabled}

    def perform(self, form):
        projects.update_project(self.request.ctx, self.kwargs["project_id"], **form.cleaned_data)


class DetailView(PanelView):
    template_name = "dashboard/identity/project_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.project = projects.get_project(request.ctx, kwargs["project_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Project: {self.project.name}"

    def get_breadcrumbs(self):
        return [(self.project.name, None)]

    def members_table(self):
        rows = assignment_rows(self.request.ctx, project_id=self.project.id)
        return tables.ProjectMembersTable(self.request, rows, project_id=self.project.id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        context["domain_name"] = domain_names(self.request.ctx).get(self.project.domain_id, self.project.domain_id)
        context["table"] = self.members_table()
        return context

    def post(self, request, *args, **kwargs):
        return run_table_action(request, tables.ProjectMembersTable(request, []))


class AddMemberView(ModalFormView):
    form_class = forms.AddMemberForm
    page_title = "Add Role Assignment"
    submit_label = "Add"

    def get_breadcrumbs(self):
        return [("Add Role Assignment", None)]

    def perform(self, form):
        kind, _, actor_id = form.cleaned_data["actor"].partition(":")
        project_id = self.kwargs["project_id"]
        if kind == "user":
            assignments.grant_role(self.request.ctx, form.cleaned_data["role_id"], user_id=actor_id,
                                   project_id=project_id)
        else:
            assignments.grant_role(self.request.ctx, form.cleaned_data["role_id"], group_id=actor_id,
                                   project_id=project_id)
        self.success_message = "Role assignment added."

    def get_success_url(self):
        return None if self.request.htmx else reverse("dashboard:identity:projects:detail",
                                                      args=[self.kwargs["project_id"]])
