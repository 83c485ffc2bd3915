from django.urls import path

from dashboard.panels.identity_roles import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("<str:role_id>/edit/", views.EditView.as_view(), name="edit"),
    path("<str:role_id>/implies/", views.ImpliesView.as_view(), name="implies"),
]
