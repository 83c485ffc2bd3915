from django.urls import path

from dashboard.panels.images import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("<str:image_id>/", views.DetailView.as_view(), name="detail"),
    path("<str:image_id>/edit/", views.EditView.as_view(), name="edit"),
    path("<str:image_id>/upload/", views.UploadView.as_view(), name="upload"),
    path("<str:image_id>/members/add/", views.AddMemberView.as_view(), name="add_member"),
    path("<str:image_id>/json/", views.image_json, name="json"),
    path("<str:image_id>/download/", views.download, name="download"),
]
