"""WebSocket routes (``config.asgi``)."""

from django.urls import path

from realestate.notifications.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]
