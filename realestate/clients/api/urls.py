from django.urls import path
from rest_framework.routers import SimpleRouter

from realestate.clients.api import agents, viewings, views

router = SimpleRouter()
router.register("agent/clients", agents.AgentClientViewSet, basename="agent-client")
router.register("agent/leads", agents.AgentLeadViewSet, basename="agent-lead")
router.register("agent/viewings", viewings.AgentViewingViewSet, basename="agent-viewing")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
