"""``/ws/notifications/``: a signed-in person's live updates (``live``), over a WebSocket.

Who is on the other end (``SocketAuthMiddleware``, in ``config.asgi``):

- a **JWT** access token (the app): in the ``Sec-WebSocket-Protocol`` header as the pair
  ``jwt, <token>`` (the server answers ``jwt``), or as ``?token=<token>``. The same rules as
  the API's ``RevocableJWTAuthentication``: a valid, unexpired access token, of an active user,
  of the user's current token generation (no password change or deactivation since), not
  logged out;
- else the **admin session** cookie, sent by browsers only with an ``Origin`` of this site
  (``SameHostOriginValidator``). A staff session that still owes its second factor (as
  ``accounts.twofactor.TwoFactorMiddleware`` would send to the verify or enrol page) counts
  as nobody.

Nobody is accepted, then closed with code 4401, so a browser's script sees why (a refused
handshake shows as 1006) and stops reconnecting.

On connect the consumer sends ``{"type": "unread", "count": n, "item": null,
"cross_process": bool}`` (false: an in-memory layer, which hears nothing of the jobs'
processes, so the page keeps polling slowly); then what ``live`` publishes: ``unread`` (count
and newest item) and ``progress`` (``key``, ``progress``). Messages from the client are
ignored, but ``{"type": "ping"}`` is answered with ``{"type": "pong"}``.
"""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.middleware import BaseMiddleware
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.cookie import parse_cookie

from realestate.notifications import live

#: Close code for a connection without a (valid) session or token: "401", in the
#: application range 4000-4999.
UNAUTHENTICATED = 4401
#: The ``Sec-WebSocket-Protocol`` that announces a token (the next protocol is the token).
TOKEN_PROTOCOL = "jwt"


def _headers(scope) -> dict[bytes, bytes]:
    return dict(scope.get("headers") or [])


def socket_token(scope) -> tuple[str, str | None]:
    """(token, subprotocol to answer) from ``Sec-WebSocket-Protocol`` or ``?token=``."""
    protocols = list(scope.get("subprotocols") or [])
    if TOKEN_PROTOCOL in protocols:
        others = [p for p in protocols if p != TOKEN_PROTOCOL]
        if others:
            return others[0], TOKEN_PROTOCOL
    query = parse_qs(scope.get("query_string", b"").decode("latin1"))
    return (query.get("token") or [""])[0], None


def token_user(raw: str):
    """The user of an API access token, by the API's own rules, or anonymous."""
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

    from realestate.accounts.api.authentication import RevocableJWTAuthentication

    authentication = RevocableJWTAuthentication()
    try:
        return authentication.get_user(authentication.get_validated_token(raw.encode()))
    except (InvalidToken, TokenError, AuthenticationFailed):
        return AnonymousUser()


def staff_session_cleared(user, session) -> bool:
    """False for a staff session that owes its second factor (``TwoFactorMiddleware``'s rule:
    verified by a device of theirs, else no device and no role requiring one)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    from realestate.accounts import twofactor

    if not user.is_staff:
        return True
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if persistent_id:
        # As django-otp's OTPMiddleware: a confirmed device of this user's.
        device = Device.from_persistent_id(persistent_id)
        if device is not None and device.user_id == user.pk and device.confirmed:
            return True
    return not (twofactor.has_any_device(user) or twofactor.two_factor_required(user))


def session_user(session_key: str):
    """The user of the admin session ``session_key`` (as Django's auth middleware finds it:
    the session's password hash must still match), or anonymous."""
    from django.contrib.auth import get_user

    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = get_user(SimpleNamespace(session=store))
    if not user.is_authenticated or not staff_session_cleared(user, store):
        return AnonymousUser()
    return user


@database_sync_to_async
def scope_user(scope, token: str):
    if token:
        return token_user(token)
    if not scope.get("origin_checked"):
        return AnonymousUser()  # cookies count only from a page of this site
    cookies = parse_cookie(_headers(scope).get(b"cookie", b"").decode("latin1"))
    session_key = cookies.get(settings.SESSION_COOKIE_NAME)
    return session_user(session_key) if session_key else AnonymousUser()


class SocketAuthMiddleware(BaseMiddleware):
    """``scope["user"]``: the token's user, else the session's, else anonymous."""

    async def __call__(self, scope, receive, send):
        token, protocol = socket_token(scope)
        scope = dict(scope, user=await scope_user(scope, token), token_protocol=protocol)
        return await super().__call__(scope, receive, send)


class SameHostOriginValidator(OriginValidator):
    """Channels' ``AllowedHostsOriginValidator``: the page's ``Origin`` must be one of
    ``ALLOWED_HOSTS``; except that a client sending no ``Origin`` (an app, not a browser:
    browsers always send it) passes, without its cookies counting (``scope["origin_checked"]``
    is false)."""

    def __init__(self, application):
        allowed = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed:
            allowed = ["localhost", "127.0.0.1", "[::1]"]
        super().__init__(application, allowed)

    async def __call__(self, scope, receive, send):
        sent = any(name == b"origin" for name, _value in scope.get("headers") or [])
        return await super().__call__(dict(scope, origin_checked=sent), receive, send)

    def valid_origin(self, parsed_origin):
        if parsed_origin is None:
            return True
        return super().valid_origin(parsed_origin)


def socket_application(inner):
    """The WebSocket stack of ``config.asgi``: origin check, then who it is, then ``inner``."""
    return SameHostOriginValidator(SocketAuthMiddleware(inner))


@database_sync_to_async
def _unread(user) -> int:
    from realestate.notifications.services import unread_count

    return unread_count(user)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Joins the user's group (``live.user_group``) and relays what ``live`` publishes."""

    group = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.accept(self.scope.get("token_protocol"))
            await self.close(code=UNAUTHENTICATED)
            return
        self.group = live.user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept(self.scope.get("token_protocol"))
        await self.send_json(
            {
                "type": "unread",
                "count": await _unread(user),
                "item": None,
                "cross_process": live.cross_process(self.channel_layer),
            }
        )

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def notifications_unread(self, event):
        await self.send_json({"type": "unread", "count": event["count"], "item": event["item"]})

    async def progress_update(self, event):
        await self.send_json(
            {"type": "progress", "key": event["key"], "progress": event["progress"]}
        )

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None
