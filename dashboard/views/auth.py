"""Login, logout, project switch and the user menu (change password, clouds.yaml, openrc)."""

import yaml
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters

from core.exceptions import NebulaError, Unauthorized
from dashboard import registry, session
from dashboard.forms import DashboardForm
from dashboard.views.base import ModalFormView


class LoginForm(forms.Form):
    domain = forms.CharField(initial="Default", max_length=255)
    username = forms.CharField(label="User Name", max_length=255)
    password = forms.CharField(widget=forms.PasswordInput, max_length=4096)


def _safe_next(request, url):
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}) and url.startswith("/dashboard/"):
        return url
    return "/dashboard/project/"


@sensitive_post_parameters("password")
def login(request):
    form = LoginForm(request.POST or None)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session.log_in(request, data["domain"], data["username"], data["password"])
        except NebulaError as exc:
            status = exc.status
            # Wrong credentials are never told apart (which part was wrong); other failures, such as
            # a directory that cannot be reached, say what happened.
            if exc.status in (400, 401, 404) and "any projects" not in exc.message:
                error, status = "Invalid credentials.", 401
            else:
                error = exc.message
        else:
            return HttpResponseRedirect(_safe_next(request, request.POST.get("next")))
    return render(request, "dashboard/login.html", {"form": form, "error": error,
                                                    "next": request.GET.get("next") or request.POST.get("next", "")},
                  status=status if error else 200)


def logout(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    session.log_out(request)
    messages.info(request, "You have been logged out.")
    return HttpResponseRedirect("/dashboard/auth/login/")


def switch_project(request, project_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        ctx = session.switch_project(request, project_id)
    except NebulaError:
        messages.error(request, "You are not authorized for that project.")
    else:
        messages.success(request, f'Switched to project "{ctx.project_name}".')
        return HttpResponseRedirect(_after_switch(_safe_next(request, request.POST.get("next")), ctx))
    return HttpResponseRedirect(_safe_next(request, request.POST.get("next")))


def _after_switch(path, ctx):
    """Back to the panel the switch was made from (its index: a detail page belongs to the old
    project), or to the overview when the new project's roles do not open that panel."""
    panel = registry.panel_for_path(path)
    if panel is None:
        return "/dashboard/project/"
    if not panel.allowed(ctx):
        return "/dashboard/project/"
    return panel.url_prefix


class ChangePasswordForm(DashboardForm):
    current_password = forms.CharField(widget=forms.PasswordInput, max_length=4096)
    new_password = forms.CharField(widget=forms.PasswordInput, max_length=4096, min_length=1)
    confirm_password = forms.CharField(widget=forms.PasswordInput, max_length=4096)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("confirm_password"):
            self.add_error("confirm_password", "The passwords do not match.")
        return data


class ChangePasswordView(ModalFormView):
    form_class = ChangePasswordForm
    page_title = "Change Password"
    submit_label = "Change"

    def get_breadcrumbs(self):
        return [("Settings", None), ("Change Password", None)]

    def perform(self, form):
        from identity.services import users

        try:
            users.change_password(self.request.ctx, self.request.ctx.user_id,
                                  original_password=form.cleaned_data["current_password"],
                                  password=form.cleaned_data["new_password"])
        except Unauthorized:
            form.add_error("current_password", "The current password is not correct.")
            return self.form_invalid(form)
        # Changing the password revokes the user's tokens: sign in again with the new one.
        self.request.session.flush()
        messages.success(self.request, "Password changed. Please log in again.")
        return _htmx_redirect(self.request, "/dashboard/auth/login/")


def _htmx_redirect(request, url):
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _auth_url():
    return f"{settings.PUBLIC_URL}/identity/v3"


def clouds_yaml(request):
    """The user's clouds.yaml for the current project, without the password (as Horizon)."""
    ctx = request.ctx
    cloud = {
        "auth": {
            "auth_url": _auth_url(),
            "username": ctx.user_name,
            "project_id": ctx.project_id,
            "project_name": ctx.project_name,
            "user_domain_id": ctx.user_domain_id,
            "project_domain_id": ctx.project_domain_id,
        },
        "region_name": settings.REGION_NAME,
        "interface": "public",
        "identity_api_version": 3,
    }
    body = yaml.safe_dump({"clouds": {"nebula": cloud}}, sort_keys=False, default_flow_style=False)
    response = HttpResponse(body, content_type="application/x-yaml")
    response["Content-Disposition"] = 'attachment; filename="clouds.yaml"'
    return response


def openrc(request):
    """An openrc shell script for the current user and project; it asks for the password."""
    ctx = request.ctx

    def quote(value):
        return "'" + str(value or "").replace("'", "'\\''") + "'"

    lines = [
        "#!/usr/bin/env bash",
        "# Source this file (. ./openrc) to use the openstack CLI as "
        f"{ctx.user_name} in project {ctx.project_name}.",
        f"export OS_AUTH_URL={quote(_auth_url())}",
        f"export OS_PROJECT_ID={quote(ctx.project_id)}",
        f"export OS_PROJECT_NAME={quote(ctx.project_name)}",
        f"export OS_USER_DOMAIN_ID={quote(ctx.user_domain_id)}",
        f"export OS_PROJECT_DOMAIN_ID={quote(ctx.project_domain_id)}",
        "unset OS_TENANT_ID",
        "unset OS_TENANT_NAME",
        f"export OS_USERNAME={quote(ctx.user_name)}",
        'echo "Please enter your OpenStack Password for project $OS_PROJECT_NAME as user $OS_USERNAME: "',
        "read -sr OS_PASSWORD_INPUT",
        'export OS_PASSWORD="$OS_PASSWORD_INPUT"',
        f"export OS_REGION_NAME={quote(settings.REGION_NAME)}",
        'if [ -z "$OS_REGION_NAME" ]; then unset OS_REGION_NAME; fi',
        "export OS_INTERFACE=public",
        "export OS_IDENTITY_API_VERSION=3",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/x-shellscript")
    response["Content-Disposition"] = f'attachment; filename="{ctx.project_name}-openrc.sh"'
    return response
