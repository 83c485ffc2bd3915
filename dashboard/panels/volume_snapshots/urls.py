from django.urls import path

from dashboard.panels.volume_snapshots import views

urlpatterns = [path("", views.IndexView.as_view(), name="index")]
