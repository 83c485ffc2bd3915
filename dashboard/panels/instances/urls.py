from django.urls import path

from dashboard.panels.instances import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("launch/", views.LaunchView.as_view(), name="launch"),
    path("<str:server_id>/", views.DetailView.as_view(), name="detail"),
    path("<str:server_id>/console/", views.ConsoleView.as_view(), name="console"),
    path("<str:server_id>/resize/", views.ResizeView.as_view(), name="resize"),
    path("<str:server_id>/rebuild/", views.RebuildView.as_view(), name="rebuild"),
    path("<str:server_id>/snapshot/", views.SnapshotView.as_view(), name="snapshot"),
]
