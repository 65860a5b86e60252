from django.urls import path
from rest_framework.routers import SimpleRouter

from realestate.accounts.api import devices, views

router = SimpleRouter()
router.register("devices", devices.DeviceViewSet, basename="device")

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="token_obtain_pair"),
    path("auth/token/refresh/", views.TokenRefreshRotateView.as_view(), name="token_refresh"),
    path("auth/logout/", views.LogoutView.as_view(), name="logout"),
]
urlpatterns += router.urls
