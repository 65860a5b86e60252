from rest_framework.routers import SimpleRouter

from realestate.sales.api import views

router = SimpleRouter()
router.register("agent/reservations", views.AgentReservationViewSet, basename="agent-reservation")

urlpatterns = router.urls
