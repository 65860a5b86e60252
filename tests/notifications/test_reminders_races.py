"""Reminder jobs running beside themselves send each message once (PostgreSQL, threads)."""

from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from realestate.leasing.choices import LeaseStatus
from realestate.notifications import reminders
from realestate.notifications.models import Delivery, Notification
from tests.factories import (
    ClientFactory,
    LeaseFactory,
    ReceivableFactory,
    ReservationFactory,
    UserFactory,
)
from tests.races import race

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _each_once(outcomes, expected: int) -> None:
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert not errors, errors
    assert Notification.objects.count() == expected
    # Every message has its deliveries (written by the run that wrote it), one per channel.
    assert not Notification.objects.filter(deliveries__isnull=True).exists()
    doubled = (
        Delivery.objects.values("notification", "channel").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert not doubled.exists()


def test_two_daily_runs_at_once_write_each_reminder_once():
    today = timezone.localdate()
    agent = UserFactory(username="agent-race")
    clients = [ClientFactory(agent=agent) for _ in range(20)]
    for n in range(200):
        ReceivableFactory(
            client=clients[n % 20],
            due_date=today - timedelta(days=3 + n % 60),
            status="overdue",
        )
    for n in range(20):
        LeaseFactory(
            status=LeaseStatus.ACTIVE,
            start_date=today - timedelta(days=300),
            end_date=today + timedelta(days=5 + n * 4),
        )

    outcomes = race(*(lambda: reminders.reminders_daily(today),) * 3)

    written = sum(sum(o.values()) for o in outcomes if isinstance(o, dict))
    # 200 overdue reminders and, for each of the 20 leases, its tenant (nobody manages them).
    assert written == 220
    _each_once(outcomes, 220)
    assert sum(reminders.reminders_daily(today).values()) == 0


def test_two_hourly_runs_at_once_tell_each_agent_once():
    agent = UserFactory(username="agent-hourly")
    for n in range(30):
        ReservationFactory(agent=agent, expires_at=timezone.now() + timedelta(hours=1 + n % 20))

    outcomes = race(reminders.reservations_expiring, reminders.reservations_expiring)

    assert sum(o for o in outcomes if isinstance(o, int)) == 30
    _each_once(outcomes, 30)
