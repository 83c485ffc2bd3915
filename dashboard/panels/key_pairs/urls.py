from django.urls import path

from dashboard.panels.key_pairs import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("import/", views.ImportView.as_view(), name="import"),
]
