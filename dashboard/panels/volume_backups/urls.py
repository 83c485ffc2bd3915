from django.urls import path

from dashboard.panels.volume_backups import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<str:backup_id>/restore/", views.RestoreView.as_view(), name="restore"),
]
