from django.urls import path

from realestate.clients.api import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
]
