"""Glance v2 under /image (the include matched "image"; every pattern starts after it)."""

from django.urls import re_path

from storage.images.api import views

IMAGE = r"(?P<image_id>[^/]+)"

urlpatterns = [
    re_path(r"^/?$", views.VersionsView.as_view()),
    re_path(r"^/versions/?$", views.VersionsView.as_view()),
    re_path(r"^/v2/?$", views.VersionsView.as_view()),
    re_path(r"^/v2/schemas/(?P<name>[a-z]+)/?$", views.SchemaView.as_view()),
    re_path(r"^/v2/info/import/?$", views.ImportInfoView.as_view()),
    re_path(r"^/v2/images/?$", views.ImagesView.as_view()),
    re_path(rf"^/v2/images/{IMAGE}/?$", views.ImageView.as_view()),
    re_path(rf"^/v2/images/{IMAGE}/file/?$", views.ImageFileView.as_view()),
    re_path(rf"^/v2/images/{IMAGE}/tags/(?P<tag>[^/]+)/?$", views.ImageTagView.as_view()),
    re_path(rf"^/v2/images/{IMAGE}/actions/(?P<action>[a-z]+)/?$", views.ImageActionView.as_view()),
    re_path(rf"^/v2/images/{IMAGE}/members/?$", views.MembersView.as_view()),
    re_path(rf"^/v2/images/{IMAGE}/members/(?P<member_id>[^/]+)/?$", views.MemberView.as_view()),
]
