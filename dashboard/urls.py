"""/dashboard/: the frame's own pages, then every discovered panel under /dashboard/<group>/<slug>/.

URL names: "dashboard:<name>" for the frame, "dashboard:<group>:<slug>:<name>" inside a panel.
"""

from django.urls import include, path
from django.views.generic import RedirectView

from dashboard import registry
from dashboard.views import auth, overview

app_name = "dashboard"


def _group_index(group):
    """/dashboard/<group>/ goes to the group's first panel the caller may open."""

    def view(request):
        from django.http import HttpResponseRedirect

        for panel in registry.discover():
            if panel.group == group and panel.allowed(request.ctx):
                return HttpResponseRedirect(panel.url_prefix)
        return HttpResponseRedirect("/dashboard/project/")

    return view


urlpatterns = [
    path("", RedirectView.as_view(url="/dashboard/project/", permanent=False), name="index"),
    path("auth/login/", auth.login, name="login"),
    path("auth/logout/", auth.logout, name="logout"),
    path("auth/switch/<str:project_id>/", auth.switch_project, name="switch_project"),
    path("settings/password/", auth.ChangePasswordView.as_view(), name="change_password"),
    path("settings/clouds.yaml", auth.clouds_yaml, name="clouds_yaml"),
    path("settings/openrc.sh", auth.openrc, name="openrc"),
    path("project/", overview.OverviewView.as_view(), name="overview"),
    path("admin/", _group_index("admin"), name="admin_index"),
    path("identity/", _group_index("identity"), name="identity_index"),
]

_by_group = {}
for _panel in registry.discover():
    _by_group.setdefault(_panel.group, []).append(
        path(f"{_panel.slug}/", include((_panel.urls_module, _panel.slug), namespace=_panel.slug)))
for _group, _patterns in _by_group.items():
    urlpatterns.append(path(f"{_group}/", include((_patterns, _group), namespace=_group)))
