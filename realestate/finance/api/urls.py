from django.urls import path
from rest_framework.routers import SimpleRouter

from realestate.finance.api import payments, views

router = SimpleRouter()
router.register("tenant/invoices", views.TenantInvoiceViewSet, basename="tenant-invoice")
router.register("tenant/payments", views.TenantPaymentViewSet, basename="tenant-payment")
router.register("owner/statements", views.OwnerStatementViewSet, basename="owner-statement")

urlpatterns = [
    path("tenant/balance/", views.TenantBalanceView.as_view(), name="tenant-balance"),
    path(
        "tenant/invoices/<int:pk>/pay/",
        payments.InvoicePayView.as_view(),
        name="tenant-invoice-pay",
    ),
    path(
        "payments/webhooks/stripe/",
        payments.StripeWebhookView.as_view(),
        name="payments-webhook-stripe",
    ),
    *router.urls,
]
