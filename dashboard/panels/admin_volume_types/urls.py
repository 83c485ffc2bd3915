from django.urls import path

from dashboard.panels.admin_volume_types import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("<str:type_id>/extra_specs/", views.ExtraSpecsView.as_view(), name="extra_specs"),
]
