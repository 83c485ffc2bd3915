from django.urls import path

from dashboard.panels.networks import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("<str:network_id>/", views.DetailView.as_view(), name="detail"),
    path("<str:network_id>/subnets/create/", views.CreateSubnetView.as_view(), name="create_subnet"),
    path("<str:network_id>/ports/create/", views.CreatePortView.as_view(), name="create_port"),
]
