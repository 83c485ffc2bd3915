from django.urls import path

from dashboard.panels.network_topology import views

urlpatterns = [path("", views.TopologyView.as_view(), name="index")]
