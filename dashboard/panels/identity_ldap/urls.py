from django.urls import path

from dashboard.panels.identity_ldap import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<str:domain_id>/configure/", views.ConfigureView.as_view(), name="configure"),
]
