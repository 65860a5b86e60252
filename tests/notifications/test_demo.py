"""The demo's notification centres have messages waiting, and the reminders ran once."""

from io import StringIO

import pytest
from django.core.management import call_command

from realestate.accounts.models import User
from realestate.notifications import reminders
from realestate.notifications.services import unread_count

pytestmark = pytest.mark.django_db


def test_the_demo_shows_notifications_to_staff_agents_and_tenants():
    call_command("seed_demo", units=200, clients=10, stdout=StringIO())

    unread = {
        name: unread_count(User.objects.get(username=name))
        for name in ("admin", "leasing", "agent1", "agent2", "tenant1")
    }
    assert all(unread.values()), unread
    # The reminders ran already: running them again writes nothing.
    assert sum(reminders.reminders_daily().values()) == 0
