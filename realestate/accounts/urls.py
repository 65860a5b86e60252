from django.urls import path

from realestate.accounts import views

urlpatterns = [
    path("verify/", views.verify, name="two_factor_verify"),
    path("enrol/", views.enrol, name="two_factor_enrol"),
    path("", views.security, name="two_factor_security"),
]
