from django.urls import path

from dashboard.panels.identity_groups import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("<str:group_id>/", views.DetailView.as_view(), name="detail"),
    path("<str:group_id>/edit/", views.EditView.as_view(), name="edit"),
    path("<str:group_id>/members/add/", views.AddMemberView.as_view(), name="add_member"),
    path("<str:group_id>/roles/add/", views.AddRoleView.as_view(), name="add_role"),
]
