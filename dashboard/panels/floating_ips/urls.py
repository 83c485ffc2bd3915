from django.urls import path

from dashboard.panels.floating_ips import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("allocate/", views.AllocateView.as_view(), name="allocate"),
    path("<str:fip_id>/associate/", views.AssociateView.as_view(), name="associate"),
]
