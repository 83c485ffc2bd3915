import datetime as dt

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dashboard import tables
from dashboard.forms import DashboardForm
from dashboard.views.base import ModalFormView, PanelView, TableView
from identity.services import app_credentials, projects


def detail_url(row):
    return reverse("dashboard:project:application_credentials:detail", args=[row.id])


class DeleteCredential(tables.DeleteAction):
    def __init__(self):
        super().__init__(None, "application credential", label="Delete")

    def handle(self, request, object_id):
        app_credentials.delete_application_credential(request.ctx, request.ctx.user_id, object_id)


class CredentialsTable(tables.Table):
    name = "application-credentials"
    columns = [
        tables.Column("name", link=detail_url),
        tables.Column("description", sortable=False),
        tables.Column("project_name", label="Project", sortable=False),
        tables.Column("role_names", label="Roles", sortable=False),
        tables.Column("expires_at", label="Expires", empty="Never",
                      display=lambda v: v.strftime("%Y-%m-%d %H:%M UTC")),
        tables.BooleanColumn("unrestricted"),
    ]
    filter_fields = ["name", "description"]
    default_sort = "name"
    empty_message = "No application credentials."
    table_actions = [tables.ModalAction("create", "Create Application Credential", icon="bi-plus-lg",
                                        classes="btn-primary", url="dashboard:project:application_credentials:create")]
    row_actions = [DeleteCredential()]
    batch_actions = [DeleteCredential()]


class IndexView(TableView):
    table_class = CredentialsTable
    page_title = "Application Credentials"

    def get_data(self):
        ctx = self.request.ctx
        rows = app_credentials.list_application_credentials(ctx, ctx.user_id)
        names = {p.id: p.name for p in projects.list_user_projects(ctx, ctx.user_id)}
        for row in rows:
            row.project_name = names.get(row.project_id, row.project_id)
            row.role_names = ", ".join(sorted(r.name for r in row.roles.all()))
        return rows


class CreateCredentialForm(DashboardForm):
    name = forms.CharField(max_length=255)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    secret = forms.CharField(required=False, max_length=4096, widget=forms.PasswordInput(render_value=True),
                             help_text="Leave empty to have one generated.")
    expires_at = forms.DateTimeField(required=False, label="Expiration (UTC)",
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     help_text="Leave empty for a credential that does not expire.")
    roles = forms.MultipleChoiceField(required=False, help_text="Default: all your roles on this project.")
    unrestricted = forms.BooleanField(required=False, help_text="Allows creating further application "
                                      "credentials and trusts with it: dangerous.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [(name, name) for name in self.ctx.roles]

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"]
        if value is not None:
            if timezone.is_naive(value):
                value = timezone.make_aware(value, dt.timezone.utc)
            if value <= timezone.now():
                raise forms.ValidationError("The expiration must be in the future.")
        return value


class CreateView(ModalFormView):
    form_class = CreateCredentialForm
    page_title = "Create Application Credential"
    submit_label = "Create Application Credential"

    def get_breadcrumbs(self):
        return [("Create", None)]

    def perform(self, form):
        data = form.cleaned_data
        ctx = self.request.ctx
        credential, secret, roles = app_credentials.create_application_credential(
            ctx, ctx.user_id, name=data["name"], description=data["description"] or None,
            secret=data["secret"] or None,
            expires_at=data["expires_at"].isoformat() if data["expires_at"] else None,
            roles=[{"name": name} for name in data["roles"]] or None,
            unrestricted=data["unrestricted"])
        # The secret is shown here once; it is stored only as a hash.
        return render(self.request, "dashboard/identity/app_credential_created.html", {
            "credential": credential, "secret": secret, "roles": roles,
            "base_template": "dashboard/modal_partial.html" if self.request.htmx else "dashboard/base.html",
            "page_title": "Your Application Credential", "auth_url": self._auth_url(),
        })

    def _auth_url(self):
        from django.conf import settings

        return f"{settings.PUBLIC_URL}/identity/v3"


class DetailView(PanelView):
    template_name = "dashboard/identity/app_credential_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.credential = app_credentials.get_application_credential(request.ctx, request.ctx.user_id,
                                                                      kwargs["credential_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Application Credential: {self.credential.name}"

    def get_breadcrumbs(self):
        return [(self.credential.name, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["credential"] = self.credential
        context["role_names"] = ", ".join(sorted(r.name for r in self.credential.roles.all()))
        return context
