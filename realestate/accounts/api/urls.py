from django.urls import path

from realestate.accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="token_obtain_pair"),
    path("auth/token/refresh/", views.TokenRefreshRotateView.as_view(), name="token_refresh"),
    path("auth/logout/", views.LogoutView.as_view(), name="logout"),
]
