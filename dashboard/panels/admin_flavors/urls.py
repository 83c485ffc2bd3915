from django.urls import path

from dashboard.panels.admin_flavors import views

urlpatterns = [path("", views.IndexView.as_view(), name="index"),
               path("create/", views.CreateView.as_view(), name="create")]
