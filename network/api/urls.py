"""Neutron v2.0 under /network (the SDK appends /v2.0 itself). Paths never need a trailing slash."""

from django.urls import re_path

from network.api import views

COLLECTIONS = r"(?P<collection>networks|subnets|ports|routers|floatingips|security-groups|security-group-rules|" \
              r"rbac-policies)"
ID = r"(?P<ident>[^/]+?)"

urlpatterns = [
    re_path(r"^/?$", views.VersionsView.as_view()),
    re_path(r"^/v2\.0/?$", views.V2View.as_view()),
    re_path(r"^/v2\.0/extensions/?$", views.ExtensionsView.as_view()),
    re_path(r"^/v2\.0/extensions/(?P<alias>[^/]+?)/?$", views.ExtensionsView.as_view()),
    re_path(r"^/v2\.0/quotas/?$", views.QuotasView.as_view()),
    re_path(r"^/v2\.0/quotas/(?P<project_id>[^/]+?)(?:/(?P<detail>[^/]+?))?/?$", views.QuotaView.as_view()),
    re_path(r"^/v2\.0/routers/" + ID + r"/(?P<action>add_router_interface|remove_router_interface|"
                                       r"add_extraroutes|remove_extraroutes)/?$", views.RouterInterfaceView.as_view()),
    re_path(r"^/v2\.0/" + COLLECTIONS + r"/?$", views.CollectionView.as_view()),
    re_path(r"^/v2\.0/" + COLLECTIONS + "/" + ID + r"/tags/?$", views.TagsView.as_view()),
    re_path(r"^/v2\.0/" + COLLECTIONS + "/" + ID + r"/tags/(?P<tag>[^/]+?)/?$", views.TagsView.as_view()),
    re_path(r"^/v2\.0/" + COLLECTIONS + "/" + ID + r"/?$", views.MemberView.as_view()),
    re_path(r"^.*$", views.NotFoundView.as_view()),
]
