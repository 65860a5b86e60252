from django.urls import path

from realestate.accounts import views

urlpatterns = [
    path("verify/", views.verify, name="two_factor_verify"),
    path("enrol/", views.enrol, name="two_factor_enrol"),
    path("", views.security, name="two_factor_security"),
    # Django's password reset; unfold's login page links the first one ("admin_password_reset").
    path("password-reset/", views.PasswordResetView.as_view(), name="admin_password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
