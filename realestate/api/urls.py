"""``/api/``: version 1 of the mobile app's API, its JWT endpoints and its schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from realestate.api.views import ApiRootView

v1 = [
    path("", ApiRootView.as_view(), name="root"),
    path("", include("realestate.accounts.api.urls")),
    path("", include("realestate.properties.api.urls")),
    path("", include("realestate.documents.api.urls")),
    path("", include("realestate.clients.api.urls")),
    path("", include("realestate.finance.api.urls")),
    path("", include("realestate.leasing.api.urls")),
    path("", include("realestate.sales.api.urls")),
    path("", include("realestate.notifications.api.urls")),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
