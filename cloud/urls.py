from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from storage.objects.api.views import info as object_info

# One host, one port, devstack-like paths (DESIGN.md section 1); each API lives in its own app.
urlpatterns = [
    path("", RedirectView.as_view(url="/dashboard/", permanent=False)),
    path("admin/", admin.site.urls),
    path("dashboard/", include("dashboard.urls")),
    re_path(r"^identity", include("identity.api.urls")),
    re_path(r"^compute", include("compute.api.urls")),
    re_path(r"^image", include("storage.images.api.urls")),
    re_path(r"^volume", include("storage.volumes.api.urls")),
    re_path(r"^network", include("network.api.urls")),
    re_path(r"^object", include("storage.objects.api.urls")),
    re_path(r"^info$", object_info),  # Swift answers /info at the root too
]
