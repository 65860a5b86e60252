"""``/api/``: version 1 of the mobile app's API, its JWT endpoints and its schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from realestate.accounts.api import urls as accounts
from realestate.api.views import ApiRootView
from realestate.clients.api import urls as clients
from realestate.documents.api import urls as documents
from realestate.finance.api import urls as finance
from realestate.leasing.api import urls as leasing
from realestate.notifications.api import urls as notifications
from realestate.properties.api import urls as properties
from realestate.sales.api import urls as sales

#: Every app's API patterns in one list, in this order: an ``include`` of each app would
#: make a request past the first app fail through every app before its own (a ``Resolver404``
#: and a list of the patterns tried, for each), 80 to 100 µs a request against 12 for
#: ``/healthz``.
v1 = [
    path("", ApiRootView.as_view(), name="root"),
    *accounts.urlpatterns,
    *properties.urlpatterns,
    *documents.urlpatterns,
    *clients.urlpatterns,
    *finance.urlpatterns,
    *leasing.urlpatterns,
    *sales.urlpatterns,
    *notifications.urlpatterns,
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
