"""Publishing is set-based: counts and newest items of many users in a few queries, then one
message per user however many messages each got."""

import pytest

from realestate.notifications import live, services
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_one_group_send_per_affected_user(
    settings, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    users = [UserFactory() for _ in range(3)]
    units = [UnitFactory() for _ in range(2)]
    sent = []

    class Spy:
        async def group_send(self, group, message):
            sent.append((group, message["count"]))

    live_layer = live.channel_layer
    live.channel_layer = lambda: Spy()
    try:
        with django_assert_max_num_queries(4):
            live.unread_publish([u.pk for u in users], newest=False)
        assert sorted(sent) == sorted((live.user_group(u.pk), 0) for u in users)
        sent.clear()
        messages = [
            services.message_for(
                "lease_ending", record=unit, user=user, step="30", context={"name": "x"}
            )
            for user in users
            for unit in units
        ]
        with django_capture_on_commit_callbacks(execute=True):
            services.notify_many(messages)
    finally:
        live.channel_layer = live_layer
    assert sorted(sent) == sorted((live.user_group(u.pk), 2) for u in users)
