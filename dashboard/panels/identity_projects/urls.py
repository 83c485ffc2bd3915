from django.urls import path

from dashboard.panels.identity_projects import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("<str:project_id>/", views.DetailView.as_view(), name="detail"),
    path("<str:project_id>/edit/", views.EditView.as_view(), name="edit"),
    path("<str:project_id>/members/add/", views.AddMemberView.as_view(), name="add_member"),
]
