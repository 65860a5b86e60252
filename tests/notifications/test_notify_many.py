"""notify_many in bulk: many messages at once (PostgreSQL takes them by COPY), each key once."""

import pytest
from django.contrib.contenttypes.models import ContentType

from realestate.clients.models import Client
from realestate.notifications.choices import MessageKind as K
from realestate.notifications.models import Delivery, Notification
from realestate.notifications.services import COPY_FROM, Message, notify_many
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


def _messages(clients, user, step="3"):
    ct = ContentType.objects.get_for_model(Client).pk
    found = [
        Message(
            kind=K.OVERDUE_REMINDER,
            client_id=client.pk,
            content_type_id=ct,
            object_id=client.pk,
            step=step,
            context={"name": client.name, "days": 3, "invoice": f"INV-{n}"},
        )
        for n, client in enumerate(clients)
    ]
    found.append(
        Message(
            kind=K.LEASE_ENDING,
            user_id=user.pk,
            content_type_id=ct,
            object_id=clients[0].pk,
            step="30",
            context={"name": "Staff"},
            link="/admin/",
            language="ar",
        )
    )
    return found


def test_many_messages_at_once_are_written_once_with_their_deliveries():
    clients = [ClientFactory(portal_user=None) for _ in range(COPY_FROM + 20)]
    user = UserFactory(email="s@example.com")
    some = _messages(clients[:30], user)
    assert notify_many(some) == 31  # a few first: the bulk then meets keys written already

    assert notify_many(_messages(clients, user)) == len(clients) - 30
    assert notify_many(_messages(clients, user)) == 0

    assert Notification.objects.count() == len(clients) + 1
    # A client without a login: e-mail and SMS (a legal notice, all channels by default).
    assert Delivery.objects.filter(channel="email").count() == len(clients) + 1
    assert Delivery.objects.filter(channel="sms").count() == len(clients)
    staff = Notification.objects.get(user=user)
    assert (staff.in_app, staff.language, staff.link) == (True, "ar", "/admin/")
    assert set(staff.deliveries.values_list("channel", flat=True)) == {"in_app", "email", "push"}
    note = Notification.objects.get(client=clients[-1])
    assert note.context == {
        "name": clients[-1].name,
        "days": 3,
        "invoice": f"INV-{len(clients) - 1}",
    }
    assert not note.in_app and note.step == "3"
