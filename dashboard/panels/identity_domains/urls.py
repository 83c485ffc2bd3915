from django.urls import path

from dashboard.panels.identity_domains import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("<str:domain_id>/edit/", views.EditView.as_view(), name="edit"),
]
