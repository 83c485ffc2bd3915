from django.urls import path

from dashboard.panels.admin_volume_pools import views

urlpatterns = [path("", views.IndexView.as_view(), name="index")]
