from django.urls import path

from dashboard.panels.security_groups import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("<str:group_id>/", views.DetailView.as_view(), name="detail"),
    path("<str:group_id>/rules/add/", views.AddRuleView.as_view(), name="add_rule"),
]
