"""E-mail through a provider's API (django-anymail) when its key is set, and its tracking
webhook marking a sent e-mail bounced."""

import os
import subprocess
import sys

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.conf import settings as django_settings

from realestate.notifications import dispatch, services
from realestate.notifications.choices import Channel, DeliveryStatus, MessageKind
from realestate.notifications.models import Delivery
from tests.factories import ClientFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_a_provider_key_selects_its_anymail_backend():
    env = {
        **os.environ,
        "SENDGRID_API_KEY": "SG.test-key",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("EMAIL_URL", None)
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.EMAIL_BACKEND); print(settings.ANYMAIL['SENDGRID_API_KEY'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        check=True,
    ).stdout.split()
    assert out == ["anymail.backends.sendgrid.EmailBackend", "SG.test-key"]


def _email_sent(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    client = ClientFactory(email="noura@example.com", phone="", portal_user=None)
    services.notify(
        MessageKind.LEASE_RENEWED,
        record=UnitFactory(),
        recipients=[client],
        context={"name": "Noura", "company": "Acme", "lease": "LS-1"},
    )
    dispatch.deliveries_dispatch()
    return Delivery.objects.get(channel=Channel.EMAIL)


def test_the_providers_message_id_is_kept_and_a_bounce_marks_it(settings):
    delivery = _email_sent(settings)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.provider_id  # anymail's id for the message

    delivered = AnymailTrackingEvent(event_type="delivered", message_id=delivery.provider_id)
    tracking.send(sender=object, event=delivered, esp_name="SendGrid")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT

    bounced = AnymailTrackingEvent(
        event_type="bounced",
        message_id=delivery.provider_id,
        reject_reason="bounced",
        mta_response="550 5.1.1 No such user",
    )
    tracking.send(sender=object, event=bounced, esp_name="SendGrid")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BOUNCED
    assert "550 5.1.1 No such user" in delivery.error

    # Staff mend the address and send it again.
    dispatch.delivery_requeue(delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED


def test_a_bounce_for_an_unknown_message_changes_nothing(settings):
    delivery = _email_sent(settings)
    event = AnymailTrackingEvent(event_type="bounced", message_id="someone-elses")
    tracking.send(sender=object, event=event, esp_name="SendGrid")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
