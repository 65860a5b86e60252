"""Live updates over ``/ws/notifications/``, through Channels' communicator against the
application ``config.asgi`` serves, on the real Redis channel layer: who may connect (an admin
session, a JWT in the subprotocol or the query; nobody else: 4401), and what they hear (the
unread count and the newest message after commit, a job's progress)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.asgi import application
from realestate.accounts.api.authentication import RefreshToken
from realestate.notifications import services
from realestate.notifications.consumers import UNAUTHENTICATED
from realestate.notifications.models import Notification
from tests.factories import ClientFactory, UnitFactory, UserFactory
from tests.factories.core import ExportJobFactory
from tests.notifications.live_support import (  # noqa: F401 - fixtures
    lease_ending,
    redis_layer,
    redis_server,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("redis_layer")]

ORIGIN = (b"origin", b"http://127.0.0.1")


def session_cookie(client, user) -> tuple[bytes, bytes]:
    client.force_login(user)
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={client.session.session_key}".encode())


def access_token(user) -> str:
    return str(RefreshToken.for_user(user).access_token)


def run(coroutine_function):
    return async_to_sync(coroutine_function)()


async def refused(communicator) -> int:
    """The close code of a connection the server accepted only to close it."""
    connected, _protocol = await communicator.connect()
    assert connected
    closing = await communicator.receive_output(timeout=5)
    await communicator.wait()
    assert closing["type"] == "websocket.close"
    return closing["code"]


def test_admin_session_hears_its_count_and_each_new_message(client):
    user = UserFactory(first_name="Nadia", last_name="Haddad")
    unit = UnitFactory(code="MH-1204")
    lease_ending(user, UnitFactory(), step="90")
    cookie = session_cookie(client, user)

    async def scenario():
        socket = WebsocketCommunicator(application, "/ws/notifications/", headers=[ORIGIN, cookie])
        connected, _ = await socket.connect()
        assert connected
        assert await socket.receive_json_from(timeout=5) == {
            "type": "unread",
            "count": 1,
            "item": None,
            "cross_process": True,
        }

        await database_sync_to_async(lease_ending)(user, unit)
        message = await socket.receive_json_from(timeout=5)
        assert message["type"] == "unread" and message["count"] == 2
        item = message["item"]
        newest = await database_sync_to_async(Notification.objects.latest)("created_at", "id")
        assert item["id"] == newest.pk
        assert "MH-1204" in item["title"] + item["body"]
        assert item["record_type"] == "properties.unit" and item["record_id"] == unit.pk
        assert item["link"] == f"/admin/properties/unit/{unit.pk}/change/"

        await database_sync_to_async(services.notification_mark_read)(user=user)
        message = await socket.receive_json_from(timeout=5)
        assert message == {"type": "unread", "count": 0, "item": None}

        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from(timeout=5) == {"type": "pong"}
        await socket.disconnect()

    run(scenario)


def test_nothing_is_heard_of_a_rolled_back_step_or_of_another_user(client):
    user, other = UserFactory(), UserFactory()
    unit = UnitFactory()
    cookie = session_cookie(client, user)

    def rolled_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            lease_ending(user, unit)
            raise RuntimeError("the business step failed")

    async def scenario():
        socket = WebsocketCommunicator(application, "/ws/notifications/", headers=[ORIGIN, cookie])
        assert (await socket.connect())[0]
        assert (await socket.receive_json_from(timeout=5))["count"] == 0
        await database_sync_to_async(rolled_back)()
        await database_sync_to_async(lease_ending)(other, unit)
        assert await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()

    run(scenario)


def test_jwt_in_the_subprotocol_or_the_query():
    tenant = UserFactory(is_staff=False)
    ClientFactory(portal_user=tenant)
    token = access_token(tenant)
    unit = UnitFactory()

    async def scenario():
        socket = WebsocketCommunicator(
            application, "/ws/notifications/", subprotocols=["jwt", token]
        )
        connected, protocol = await socket.connect()
        assert connected and protocol == "jwt"
        assert (await socket.receive_json_from(timeout=5))["type"] == "unread"
        await database_sync_to_async(lease_ending)(tenant, unit)
        assert (await socket.receive_json_from(timeout=5))["count"] == 1
        await socket.disconnect()

        # No Origin (an app, not a browser) is fine with a token.
        socket = WebsocketCommunicator(application, f"/ws/notifications/?token={token}")
        assert (await socket.connect())[0]
        assert (await socket.receive_json_from(timeout=5))["count"] == 1
        await socket.disconnect()

    run(scenario)


def test_anonymous_and_bad_credentials_are_refused_with_4401(client):
    user = UserFactory()
    revoked = access_token(user)
    user.set_password("new-password")
    user.save()  # a password change ends every token issued before
    fresh = access_token(user)
    cookie = session_cookie(client, user)

    async def scenario():
        path = "/ws/notifications/"
        assert await refused(WebsocketCommunicator(application, path, headers=[ORIGIN])) == 4401
        assert await refused(WebsocketCommunicator(application, f"{path}?token=nonsense")) == 4401
        assert await refused(WebsocketCommunicator(application, f"{path}?token={revoked}")) == 4401
        # A session cookie without an Origin (not a page of this site) counts for nothing.
        assert await refused(WebsocketCommunicator(application, path, headers=[cookie])) == 4401
        # Another site's page is refused at the handshake.
        other_site = WebsocketCommunicator(
            application, path, headers=[(b"origin", b"https://evil.example"), cookie]
        )
        assert (await other_site.connect())[0] is False

        socket = WebsocketCommunicator(application, f"{path}?token={fresh}")
        assert (await socket.connect())[0]
        assert (await socket.receive_json_from(timeout=5))["type"] == "unread"
        await socket.disconnect()

    run(scenario)
    assert UNAUTHENTICATED == 4401


def test_an_inactive_users_token_is_refused():
    user = UserFactory()
    token = access_token(user)
    user.is_active = False
    user.save()

    async def scenario():
        socket = WebsocketCommunicator(application, f"/ws/notifications/?token={token}")
        assert await refused(socket) == 4401

    run(scenario)


def test_a_staff_session_owing_its_second_factor_is_refused(client):
    user = UserFactory()
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    cookie = session_cookie(client, user)  # logged in by password, code not given yet

    async def scenario():
        socket = WebsocketCommunicator(application, "/ws/notifications/", headers=[ORIGIN, cookie])
        assert await refused(socket) == 4401

    run(scenario)


def test_a_verified_staff_session_is_accepted(client):
    from django_otp import DEVICE_ID_SESSION_KEY

    user = UserFactory()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    cookie = (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode())

    async def scenario():
        socket = WebsocketCommunicator(application, "/ws/notifications/", headers=[ORIGIN, cookie])
        assert (await socket.connect())[0]
        assert (await socket.receive_json_from(timeout=5))["type"] == "unread"
        await socket.disconnect()

    run(scenario)


def test_a_jobs_progress_reaches_the_user_who_asked(client):
    user = UserFactory()
    job = ExportJobFactory(user=user, status="queued", total=0)
    cookie = session_cookie(client, user)

    def work():
        job.progress_start(200)
        job.progress_advance(50)

    async def scenario():
        socket = WebsocketCommunicator(application, "/ws/notifications/", headers=[ORIGIN, cookie])
        assert (await socket.connect())[0]
        await socket.receive_json_from(timeout=5)  # the unread count
        await database_sync_to_async(work)()
        started = await socket.receive_json_from(timeout=5)
        advanced = await socket.receive_json_from(timeout=5)
        assert started["type"] == "progress" and started["key"] == f"core.exportjob:{job.pk}"
        assert started["progress"]["status"] == "running" and started["progress"]["total"] == 200
        assert advanced["progress"]["done"] == 50 and advanced["progress"]["percent"] == 25
        await socket.disconnect()

    run(scenario)
