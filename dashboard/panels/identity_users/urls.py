from django.urls import path

from dashboard.panels.identity_users import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("<str:user_id>/", views.DetailView.as_view(), name="detail"),
    path("<str:user_id>/edit/", views.EditView.as_view(), name="edit"),
    path("<str:user_id>/password/", views.SetPasswordView.as_view(), name="password"),
    path("<str:user_id>/roles/add/", views.AddRoleView.as_view(), name="add_role"),
]
