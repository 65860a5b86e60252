from rest_framework.routers import SimpleRouter

from realestate.leasing.api import documents, owners, views

router = SimpleRouter()
router.register("tenant/leases", views.TenantLeaseViewSet, basename="tenant-lease")
router.register("tenant/maintenance", views.TenantMaintenanceViewSet, basename="tenant-maintenance")
router.register(
    r"tenant/leases/(?P<lease_id>[0-9]+)/documents",
    documents.TenantLeaseDocumentViewSet,
    basename="tenant-lease-document",
)
router.register("owner/units", owners.OwnerUnitViewSet, basename="owner-unit")
router.register("owner/maintenance", views.OwnerMaintenanceViewSet, basename="owner-maintenance")

urlpatterns = router.urls
