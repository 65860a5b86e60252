from django.urls import path
from rest_framework.routers import SimpleRouter

from realestate.finance.api import views

router = SimpleRouter()
router.register("tenant/invoices", views.TenantInvoiceViewSet, basename="tenant-invoice")
router.register("tenant/payments", views.TenantPaymentViewSet, basename="tenant-payment")
router.register("owner/statements", views.OwnerStatementViewSet, basename="owner-statement")

urlpatterns = [
    path("tenant/balance/", views.TenantBalanceView.as_view(), name="tenant-balance"),
    *router.urls,
]
