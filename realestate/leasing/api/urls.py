from rest_framework.routers import SimpleRouter

from realestate.leasing.api import owners, views

router = SimpleRouter()
router.register("tenant/leases", views.TenantLeaseViewSet, basename="tenant-lease")
router.register("tenant/maintenance", views.TenantMaintenanceViewSet, basename="tenant-maintenance")
router.register("owner/units", owners.OwnerUnitViewSet, basename="owner-unit")
router.register("owner/maintenance", views.OwnerMaintenanceViewSet, basename="owner-maintenance")

urlpatterns = router.urls
