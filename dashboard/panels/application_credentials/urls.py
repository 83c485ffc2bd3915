from django.urls import path

from dashboard.panels.application_credentials import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("<str:credential_id>/", views.DetailView.as_view(), name="detail"),
]
