from django.urls import path

from dashboard.panels.admin_aggregates import views

urlpatterns = [path("", views.IndexView.as_view(), name="index"),
               path("create/", views.CreateView.as_view(), name="create"),
               path("<int:aggregate_id>/hosts/", views.HostsView.as_view(), name="hosts")]
