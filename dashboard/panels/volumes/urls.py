from django.urls import path

from dashboard.panels.volumes import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("<str:volume_id>/extend/", views.ExtendView.as_view(), name="extend"),
    path("<str:volume_id>/attach/", views.AttachView.as_view(), name="attach"),
    path("<str:volume_id>/snapshot/", views.SnapshotView.as_view(), name="snapshot"),
    path("<str:volume_id>/backup/", views.BackupView.as_view(), name="backup"),
]
