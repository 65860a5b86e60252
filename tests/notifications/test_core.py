"""Writing messages once, choosing channels, dispatching, retrying."""

import pytest
from django.core import mail
from django.utils import timezone

from realestate.notifications import backends, dispatch, services
from realestate.notifications.backends import PermanentFailure
from realestate.notifications.choices import Channel, DeliveryStatus, MessageKind
from realestate.notifications.models import Delivery, KindSetting, MessageTemplate, Notification
from tests.factories import ClientFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def email_locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFICATION_RETRY_SECONDS = [60, 300]


def _lease_end(user, unit, step="30"):
    return services.notify(
        MessageKind.LEASE_ENDING,
        record=unit,
        recipients=[user],
        step=step,
        context={
            "name": "Ann",
            "lease": "LS-1",
            "unit": unit.code,
            "end_date": "2027-01-31",
            "days": step,
            "company": "Acme",
        },
    )


def test_a_message_is_written_once_per_recipient_record_and_step():
    user = UserFactory(email="ann@example.com", phone="+971500000001")
    unit = UnitFactory()
    assert _lease_end(user, unit) == 1
    assert _lease_end(user, unit) == 0
    assert _lease_end(user, unit, step="60") == 1
    assert Notification.objects.count() == 2
    channels = set(Delivery.objects.values_list("channel", flat=True))
    assert channels == {Channel.IN_APP, Channel.EMAIL, Channel.PUSH}


def test_person_turns_a_topic_off_but_not_a_legal_notice():
    user = UserFactory(
        email="ann@example.com", notification_preferences={"leases": False, "payments": False}
    )
    unit = UnitFactory()
    _lease_end(user, unit)  # legal: in-app and e-mail stay
    note = Notification.objects.get()
    assert set(note.deliveries.values_list("channel", flat=True)) == {"in_app", "email"}
    assert services.notify(MessageKind.PAYMENT_RECEIVED, record=unit, recipients=[user]) == 0


def test_company_default_and_personal_choice():
    KindSetting.objects.create(
        kind=MessageKind.LEASE_RENEWED, in_app=True, email=False, sms=False, push=False
    )
    staff = UserFactory()
    fan = UserFactory(notification_preferences={"leases": {"sms": True}})
    unit = UnitFactory()
    services.notify(MessageKind.LEASE_RENEWED, record=unit, recipients=[staff, fan])
    by_user = {
        n.user_id: set(n.deliveries.values_list("channel", flat=True))
        for n in Notification.objects.all()
    }
    assert by_user[staff.pk] == {"in_app"}
    assert by_user[fan.pk] == {"in_app", "sms"}


def test_a_client_without_login_gets_email_and_sms_only():
    client = ClientFactory(email="c@example.com", phone="+971500000002", portal_user=None)
    services.notify(
        MessageKind.OVERDUE_REMINDER,
        record=client,
        recipients=[client],
        step="3",
        context={"name": client.name, "invoice": "INV-1", "days": 3},
    )
    note = Notification.objects.get()
    assert not note.in_app
    assert set(note.deliveries.values_list("channel", flat=True)) == {"email", "sms"}


def test_dispatch_sends_email_with_text_and_html_and_marks_sent():
    user = UserFactory(email="ann@example.com")
    _lease_end(user, UnitFactory())
    result = dispatch.deliveries_dispatch()
    assert "sent" in result
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Lease LS-1 ends in 30 days"
    assert "ends on 2027-01-31" in message.body
    assert "text/html" in [kind for _, kind in message.alternatives]
    email = Delivery.objects.get(channel=Channel.EMAIL)
    assert (email.status, email.address, email.attempts) == ("sent", "ann@example.com", 1)
    note = Notification.objects.get()
    assert note.title == "Lease LS-1 ends in 30 days"
    # Nothing is sent twice.
    assert dispatch.deliveries_dispatch() == "nothing due"
    assert len(mail.outbox) == 1


def test_staff_template_wins_and_a_broken_one_fails_the_delivery():
    MessageTemplate.objects.create(
        kind=MessageKind.LEASE_ENDING,
        channel=Channel.EMAIL,
        language="en",
        subject="Heads up {{ name }}",
        body="{{ unit }} & co",
    )
    user = UserFactory(email="ann@example.com")
    _lease_end(user, UnitFactory(code="U-7"))
    dispatch.deliveries_dispatch()
    assert mail.outbox[0].subject == "Heads up Ann"
    assert mail.outbox[0].body == "U-7 & co"
    MessageTemplate.objects.filter(channel=Channel.EMAIL).update(body="{% if %}")
    _lease_end(user, UnitFactory(), step="60")
    dispatch.deliveries_dispatch()
    failed = Delivery.objects.get(channel=Channel.EMAIL, status=DeliveryStatus.FAILED)
    assert failed.error


class Flaky:
    calls = 0

    def send(self, delivery, rendered, address):
        Flaky.calls += 1
        if Flaky.calls == 1:
            raise ConnectionError("provider down")
        return "sms-42"


class Refusing:
    def send(self, delivery, rendered, address):
        raise PermanentFailure("number not reachable")


def test_a_failure_is_retried_with_backoff_then_sent(settings):
    settings.NOTIFICATION_BACKENDS = {"sms": "tests.notifications.test_core.Flaky"}
    backends._backend.cache_clear()
    Flaky.calls = 0
    client = ClientFactory(email="", phone="+971500000003", portal_user=None)
    services.notify(MessageKind.OVERDUE_REMINDER, record=client, recipients=[client], step="3")
    dispatch.deliveries_dispatch()
    sms = Delivery.objects.get(channel=Channel.SMS)
    assert (sms.status, sms.attempts) == ("queued", 1)
    assert "provider down" in sms.error
    assert sms.next_attempt_at > timezone.now()
    Delivery.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
    dispatch.deliveries_dispatch()
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.provider_id) == ("sent", 2, "sms-42")
    email = Delivery.objects.get(channel=Channel.EMAIL)
    assert email.status == DeliveryStatus.SKIPPED  # no address
    backends._backend.cache_clear()


def test_a_permanent_refusal_fails_at_once(settings):
    settings.NOTIFICATION_BACKENDS = {"sms": "tests.notifications.test_core.Refusing"}
    backends._backend.cache_clear()
    client = ClientFactory(phone="+971500000004", portal_user=None)
    services.notify(MessageKind.OVERDUE_REMINDER, record=client, recipients=[client], step="3")
    dispatch.deliveries_dispatch()
    sms = Delivery.objects.get(channel=Channel.SMS)
    assert (sms.status, sms.error) == ("failed", "number not reachable")
    dispatch.delivery_requeue(sms)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("queued", 0)
    backends._backend.cache_clear()


def test_two_runs_never_claim_the_same_delivery():
    user = UserFactory(email="a@example.com")
    for step in range(5):
        _lease_end(user, UnitFactory(), step=str(step))
    first = dispatch.deliveries_claim(limit=100)
    second = dispatch.deliveries_claim(limit=100)
    assert first and not second


def test_mark_read_and_unread_count():
    user = UserFactory()
    _lease_end(user, UnitFactory())
    _lease_end(user, UnitFactory(), step="60")
    assert services.unread_count(user) == 2
    first = Notification.objects.first()
    assert services.notification_mark_read(user=user, ids=[first.pk]) == 1
    assert services.unread_count(user) == 1
    other = UserFactory()
    assert services.notification_mark_read(user=other) == 0
    assert services.notification_mark_read(user=user) == 1


def test_amounts_and_dates_in_the_data_keep_their_text():
    from datetime import date
    from decimal import Decimal

    user = UserFactory(email="ann@example.com")
    services.notify(
        MessageKind.PAYMENT_RECEIVED,
        record=UnitFactory(),
        recipients=[user],
        context={
            "name": "Ann",
            "payment": "PAY-1",
            "amount": Decimal("2500.50"),
            "currency": "AED",
            "date": date(2026, 12, 1),
            "company": "Acme",
        },
    )
    dispatch.deliveries_dispatch()
    assert "AED 2500.50 on 2026-12-01" in mail.outbox[0].body


def test_the_company_signs_with_its_name_when_the_message_goes_out():
    from tests.factories import CompanyProfileFactory

    user = UserFactory(email="ann@example.com")
    _lease_end(user, UnitFactory())  # written while the data said "Acme"
    CompanyProfileFactory(trade_name="Marina Crest Properties")
    dispatch.deliveries_dispatch()
    assert mail.outbox[0].body.endswith("Marina Crest Properties")
    assert "Acme" not in mail.outbox[0].body
    assert Notification.objects.get().body.endswith("Marina Crest Properties")
