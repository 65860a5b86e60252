"""Demo set-up of notifications. Used by ``seed_demo``: the shipped message texts as
templates staff can edit, and the company's default channels for every kind (``seed``);
after the demo data, the reminder jobs run once, as the scheduler would in the morning, so
staff, agents and the app's tenants find messages waiting (``reminders_run``). The demo's
business events wrote their own messages as they happened (receipts, invoices, requests)."""

from __future__ import annotations

from django.utils import timezone

from realestate.notifications import reminders
from realestate.notifications.choices import Channel, DeliveryStatus
from realestate.notifications.configuration import kind_settings_ensure, message_templates_ensure
from realestate.notifications.models import Delivery, Notification


def seed() -> None:
    message_templates_ensure()
    kind_settings_ensure()


def reminders_run() -> dict[str, int]:
    _follow_app_logins()
    written = reminders.reminders_daily()
    written["reservations_expiring"] = reminders.reservations_expiring()
    return written


def _follow_app_logins() -> None:
    """The demo gives its app logins to clients chosen for having paid (after their
    payments and invoices were told): their messages so far reach those logins' centres, as
    they would have had the login existed then."""
    from realestate.clients.models import Client

    now = timezone.now()
    for client in Client.objects.filter(portal_user__isnull=False).select_related("portal_user"):
        earlier = Notification.objects.filter(client=client, user__isnull=True)
        ids = list(earlier.values_list("pk", flat=True))
        if not ids:
            continue
        earlier.update(user=client.portal_user, in_app=True, language=client.portal_user.language)
        Delivery.objects.bulk_create(
            [
                Delivery(
                    notification_id=pk,
                    channel=Channel.IN_APP,
                    status=DeliveryStatus.QUEUED,
                    next_attempt_at=now,
                )
                for pk in ids
            ],
            ignore_conflicts=True,
        )
