from django.urls import path
from rest_framework.routers import SimpleRouter

from realestate.finance.api import payments, pdfs, views

router = SimpleRouter()
router.register("tenant/invoices", views.TenantInvoiceViewSet, basename="tenant-invoice")
router.register("tenant/payments", views.TenantPaymentViewSet, basename="tenant-payment")
router.register("owner/statements", views.OwnerStatementViewSet, basename="owner-statement")
router.register("tenant/invoices", pdfs.TenantInvoicePdfViewSet, basename="tenant-invoice-pdf")
router.register("tenant/payments", pdfs.TenantPaymentReceiptViewSet, basename="tenant-receipt")
router.register("owner/statements", pdfs.OwnerStatementPdfViewSet, basename="owner-statement-pdf")

urlpatterns = [
    path("tenant/balance/", views.TenantBalanceView.as_view(), name="tenant-balance"),
    path("tenant/statement/", pdfs.TenantStatementView.as_view(), name="tenant-statement"),
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
