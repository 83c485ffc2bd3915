from django.urls import path

from dashboard.panels.containers import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("c/<str:container>/", views.BrowseView.as_view(), name="browse"),
    path("c/<str:container>/upload/", views.UploadView.as_view(), name="upload"),
    path("c/<str:container>/o/<path:obj>", views.ObjectDetailView.as_view(), name="object"),
    path("c/<str:container>/download/<path:obj>", views.download, name="download"),
]
