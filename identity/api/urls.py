"""Keystone v3 under /identity. Paths never need a trailing slash (clients send none)."""

from django.urls import re_path

from identity.api.views import auth, versions

urlpatterns = [
    re_path(r"^/?$", versions.VersionsView.as_view()),
    re_path(r"^/v3/?$", versions.V3View.as_view()),
    re_path(r"^/v3/auth/tokens/?$", auth.TokensView.as_view()),
    re_path(r"^/v3/auth/catalog/?$", auth.AuthCatalogView.as_view()),
    re_path(r"^/v3/auth/projects/?$", auth.AuthProjectsView.as_view()),
    re_path(r"^/v3/auth/domains/?$", auth.AuthDomainsView.as_view()),
    re_path(r"^/v3/auth/system/?$", auth.AuthSystemView.as_view()),
]
