"""Reminder jobs: each message once per recipient, record and step, however often or late."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from realestate.accounts.roles import LEASING_MANAGER
from realestate.clients.choices import LeadStatus
from realestate.finance.models import Receivable
from realestate.leasing.choices import LeaseStatus
from realestate.notifications import reminders
from realestate.notifications.choices import MessageKind as K
from realestate.notifications.models import Notification
from realestate.notifications.tasks import SCHEDULES
from tests.factories import (
    BuildingFactory,
    ClientFactory,
    LeadFactory,
    LeaseFactory,
    ReceivableFactory,
    ReservationFactory,
    SaleContractFactory,
    UnitFactory,
    UserFactory,
    ViewingFactory,
)
from tests.notifications.helpers import messages, placeholders_complete

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def today():
    return timezone.localdate()


def days(today, n):
    return today + timedelta(days=n)


def steps_of(kind):
    return sorted((n.object_id, n.step) for n in messages(kind))


def instalment(contract, sequence, due, **kwargs):
    return ReceivableFactory(
        client=contract.buyer,
        contract=contract,
        unit=contract.unit,
        kind="instalment",
        sequence=sequence,
        due_date=due,
        amount=D("50000.00"),
        **kwargs,
    )


def test_instalments_due_in_seven_days_and_on_the_day(today):
    contract = SaleContractFactory()
    in_7 = instalment(contract, 2, days(today, 7))
    in_3 = instalment(contract, 3, days(today, 3))
    due_today = instalment(contract, 4, today)
    instalment(contract, 5, days(today, 8))  # not yet
    instalment(contract, 6, days(today, 2), amount_paid=D("50000.00"), status="paid")
    ReceivableFactory(client=contract.buyer, kind="fee", due_date=days(today, 1))  # no instalment

    assert reminders.instalments_due(today) == 3
    assert reminders.instalments_due(today) == 0
    assert steps_of(K.INSTALMENT_DUE) == sorted(
        [(in_7.pk, "7d"), (in_3.pk, "7d"), (due_today.pk, "0d")]
    )
    note = Notification.objects.get(object_id=in_3.pk, kind=K.INSTALMENT_DUE)
    assert note.client_id == contract.buyer_id
    assert (note.context["when"], note.context["number"]) == ("in 3 days", 3)
    assert note.context["contract"] == contract.number
    placeholders_complete(note)
    assert Notification.objects.get(object_id=due_today.pk).context["when"] == "today"

    # A week later the first falls due: its "on the day" message, and nothing else again.
    assert reminders.instalments_due(days(today, 7)) == 2  # in_7 today, no. 5 within 7 days
    assert (in_7.pk, "0d") in steps_of(K.INSTALMENT_DUE)


def test_overdue_reminders_send_the_highest_step_reached_once_and_stop_when_paid(today):
    client = ClientFactory()
    two = ReceivableFactory(client=client, due_date=days(today, -2), status="overdue")
    four = ReceivableFactory(client=client, due_date=days(today, -4), status="overdue")
    twelve = ReceivableFactory(
        client=client, due_date=days(today, -12), status="partially_paid", amount_paid=D("400")
    )
    old = ReceivableFactory(client=client, due_date=days(today, -45), status="overdue")
    ReceivableFactory(
        client=client, due_date=days(today, -45), status="paid", amount_paid=D("1000.00")
    )
    ReceivableFactory(client=client, due_date=days(today, -45), status="void")

    assert reminders.receivables_overdue(today) == 3
    assert steps_of(K.OVERDUE_REMINDER) == sorted(
        [(four.pk, "3"), (twelve.pk, "10"), (old.pk, "30")]
    )
    note = Notification.objects.get(object_id=twelve.pk)
    assert (note.context["balance"], note.context["days"]) == ("600.00", 12)
    placeholders_complete(note)
    assert reminders.receivables_overdue(today) == 0

    # A week on: "four" reached 10 days, "twelve" is still at its step 10, "two" reached 3.
    assert reminders.receivables_overdue(days(today, 7)) == 2
    assert (four.pk, "10") in steps_of(K.OVERDUE_REMINDER)
    assert (two.pk, "3") in steps_of(K.OVERDUE_REMINDER)
    # Paid: nothing more, whatever step it reaches.
    Receivable.objects.filter(pk=four.pk).update(status="paid", amount_paid=D("1000.00"))
    assert reminders.receivables_overdue(days(today, 40)) == 2  # "twelve" and "two" reach 30
    assert (four.pk, "30") not in steps_of(K.OVERDUE_REMINDER)


def test_the_overdue_steps_come_from_the_settings(settings, today):
    settings.OVERDUE_REMINDER_DAYS = [1, 5]
    late = ReceivableFactory(due_date=days(today, -6), status="overdue")
    assert reminders.receivables_overdue(today) == 1
    assert steps_of(K.OVERDUE_REMINDER) == [(late.pk, "5")]


def test_leases_ending_tell_the_tenant_and_the_leasing_manager(roles, today):
    manager = UserFactory(username="pm1")
    building = BuildingFactory(manager=manager)
    on_duty = UserFactory(username="lm1", roles=[LEASING_MANAGER])

    def lease(end, **kwargs):
        return LeaseFactory(
            status=LeaseStatus.ACTIVE, start_date=days(today, -300), end_date=end, **kwargs
        )

    managed = lease(days(today, 90), unit=UnitFactory(building=building, project=building.project))
    unmanaged = lease(days(today, 45))
    soon = lease(days(today, 10))
    lease(days(today, 100))  # not yet
    renewed = lease(days(today, 20))
    LeaseFactory(
        unit=renewed.unit,
        tenant=renewed.tenant,
        renewed_from=renewed,
        start_date=days(today, 21),
        end_date=days(today, 400),
    )

    assert reminders.leases_ending(today) == 6
    notes = messages(K.LEASE_ENDING)
    assert {(n.object_id, n.step, n.client_id, n.user_id) for n in notes} == {
        (managed.pk, "90", managed.tenant_id, None),
        (managed.pk, "90", None, manager.pk),
        (unmanaged.pk, "60", unmanaged.tenant_id, None),
        (unmanaged.pk, "60", None, on_duty.pk),
        (soon.pk, "30", soon.tenant_id, None),
        (soon.pk, "30", None, on_duty.pk),
    }
    staff = next(n for n in notes if n.user_id == manager.pk)
    assert staff.link == reverse("admin:leasing_lease_change", args=[managed.pk])
    assert staff.context["days"] == 90
    for note in notes:
        placeholders_complete(note)
    assert reminders.leases_ending(today) == 0
    # 30 days later the first reaches 60 days, the second 30 and the fourth 90 (70 left);
    # the third has ended.
    assert reminders.leases_ending(days(today, 30)) == 6


def test_follow_ups_viewings_and_documents_go_to_the_agent(today):
    agent = UserFactory(username="agent7", first_name="Sara", last_name="Haddad")
    client = ClientFactory(
        name="Omar Nasser",
        agent=agent,
        id_type="passport",
        id_number="P1234567",
        id_expiry=days(today, 20),
    )
    ClientFactory(agent=agent, id_type="passport", id_number="P2", id_expiry=days(today, 40))
    lead = LeadFactory(client=client, agent=agent, next_follow_up=today)
    LeadFactory(client=client, agent=agent, next_follow_up=days(today, 1))
    won = LeadFactory(client=client, agent=agent, next_follow_up=today)
    type(won).objects.filter(pk=won.pk).update(status=LeadStatus.WON)
    tomorrow_at_ten = timezone.make_aware(datetime.combine(days(today, 1), time(10, 0)))
    viewing = ViewingFactory(client=client, agent=agent, scheduled_at=tomorrow_at_ten)
    ViewingFactory(client=client, agent=agent, scheduled_at=tomorrow_at_ten + timedelta(days=1))

    assert reminders.follow_ups_due(today) == 1
    [follow] = messages(K.FOLLOW_UP_DUE)
    assert (follow.user_id, follow.object_id, follow.context["lead"]) == (
        agent.pk,
        lead.pk,
        lead.code,
    )
    assert follow.link == reverse("admin:clients_lead_change", args=[lead.pk])
    placeholders_complete(follow)

    assert reminders.viewings_tomorrow(today) == 2
    by_who = {(n.client_id, n.user_id): n for n in messages(K.VIEWING_TOMORROW)}
    assert by_who[(None, agent.pk)].context["with"] == "Omar Nasser"
    assert by_who[(client.pk, None)].context["with"] == "Sara Haddad"
    assert by_who[(client.pk, None)].context["time"] == "10:00"
    assert {n.object_id for n in by_who.values()} == {viewing.pk}
    for note in by_who.values():
        placeholders_complete(note)

    assert reminders.id_documents_expiring(today) == 1
    [document] = messages(K.ID_DOCUMENT_EXPIRING)
    assert (document.user_id, document.object_id) == (agent.pk, client.pk)
    assert document.context["id_type"] == "Passport"
    placeholders_complete(document)

    assert reminders.follow_ups_due(today) == 0
    assert reminders.viewings_tomorrow(today) == 0
    assert reminders.id_documents_expiring(today) == 0
    # A follow-up moved to another day is a new step.
    type(lead).objects.filter(pk=lead.pk).update(next_follow_up=days(today, 2))
    assert reminders.follow_ups_due(days(today, 2)) == 2  # this lead and the other one


def test_reservations_expiring_within_a_day_tell_the_agent_once():
    agent = UserFactory(username="agent8")
    soon = ReservationFactory(agent=agent, expires_at=timezone.now() + timedelta(hours=5))
    ReservationFactory(agent=agent, expires_at=timezone.now() + timedelta(hours=30))

    assert reminders.reservations_expiring() == 1
    assert reminders.reservations_expiring() == 0
    [note] = messages(K.RESERVATION_EXPIRING)
    assert (note.user_id, note.object_id) == (agent.pk, soon.pk)
    placeholders_complete(note)
    # Extended, then lapsing again: told again.
    type(soon).objects.filter(pk=soon.pk).update(expires_at=timezone.now() + timedelta(hours=20))
    assert reminders.reservations_expiring() == 1


def test_the_daily_job_twice_writes_nothing_the_second_time(today):
    contract = SaleContractFactory()
    instalment(contract, 2, days(today, 7))
    ReceivableFactory(due_date=days(today, -40), status="overdue")
    LeaseFactory(status=LeaseStatus.ACTIVE, start_date=days(today, -300), end_date=days(today, 30))

    first = reminders.reminders_daily(today)
    second = reminders.reminders_daily(today)

    assert first["instalments_due"] == 1 and first["overdue"] == 1
    assert sum(second.values()) == 0
    assert reminders.reminders_daily_task().startswith("instalments_due 0, overdue 0")


def test_the_jobs_are_scheduled():
    by_func = {job.func: job.cron for job in SCHEDULES}
    assert by_func["realestate.notifications.reminders.reminders_daily_task"] == "0 7 * * *"
    assert by_func["realestate.notifications.reminders.reservations_expiring_task"] == "5 * * * *"
