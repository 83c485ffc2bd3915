from django.urls import re_path

from storage.objects.api import views

# Mounted under ^object (cloud/urls.py): /object/v1/AUTH_<project>/<container>/<object>.
urlpatterns = [
    re_path(r"^/info$", views.info),
    re_path(r"^/v1/AUTH_(?P<project_id>[^/]+)/?$", views.account),
    re_path(r"^/v1/AUTH_(?P<project_id>[^/]+)/(?P<container>[^/]+)/?$", views.container),
    re_path(r"^/v1/AUTH_(?P<project_id>[^/]+)/(?P<container>[^/]+)/(?P<obj>.+)$", views.object_),
]
