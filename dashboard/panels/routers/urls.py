from django.urls import path

from dashboard.panels.routers import views

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("create/", views.CreateView.as_view(), name="create"),
    path("<str:router_id>/", views.DetailView.as_view(), name="detail"),
    path("<str:router_id>/gateway/", views.SetGatewayView.as_view(), name="set_gateway"),
    path("<str:router_id>/interfaces/add/", views.AddInterfaceView.as_view(), name="add_interface"),
]
