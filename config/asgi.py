"""The ASGI application: HTTP through Django, WebSockets through Channels.

Served by daphne (``make run``: daphne's ``runserver``; in production ``daphne
config.asgi:application``, see the README). ``/ws/notifications/`` carries a signed-in
person's live updates (``realestate.notifications.consumers``).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django first: it sets the apps up before the consumers' modules import models.
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from realestate.notifications.consumers import socket_application  # noqa: E402
from realestate.notifications.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": socket_application(URLRouter(websocket_urlpatterns)),
    }
)
