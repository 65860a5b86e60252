"""Business events tell the people concerned, in the event's own transaction, once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from realestate.accounts.roles import LEASING_MANAGER
from realestate.finance.choices import PaymentMethod
from realestate.finance.services import owner_statement_generate, payment_post, payment_reverse
from realestate.leasing import services as leasing
from realestate.leasing.choices import LeaseStatus, MaintenanceStatus
from realestate.notifications.choices import MessageKind as K
from realestate.notifications.models import Delivery, Notification
from realestate.sales import services as sales
from tests.factories import (
    AgentFactory,
    BuildingFactory,
    ClientFactory,
    LeaseFactory,
    ReceivableFactory,
    SuperUserFactory,
    UnitFactory,
    UserFactory,
    VendorFactory,
)
from tests.notifications.helpers import messages, placeholders_complete

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = timezone.localdate


def _post(client, amount="600.00", **kwargs):
    return payment_post(
        client=client,
        amount=D(amount),
        method=PaymentMethod.TRANSFER,
        received_on=TODAY(),
        **kwargs,
    )


def test_payment_received_and_reversed_reach_the_payer_and_their_app_login():
    portal = UserFactory(username="tenant9", is_staff=False, language="ar")
    client = ClientFactory(portal_user=portal)
    ReceivableFactory(client=client, amount=D("1000.00"))

    payment = _post(client)

    [note] = messages(K.PAYMENT_RECEIVED)
    assert (note.client_id, note.user_id, note.object_id) == (client.pk, portal.pk, payment.pk)
    assert note.language == "ar" and note.in_app
    assert (note.context["payment"], note.context["amount"]) == (payment.number, "600.00")
    assert note.context["name"] == client.name
    placeholders_complete(note)
    assert note.link == ""  # the app finds the payment itself; links are staff's

    payment_reverse(payment=payment, reason="Cheque bounced")

    [reversed_note] = messages(K.PAYMENT_REVERSED)
    assert reversed_note.context["reason"] == "Cheque bounced"
    placeholders_complete(reversed_note)
    # A legal notice: in-app and e-mail whatever the person chose.
    assert {"in_app", "email"} <= set(reversed_note.deliveries.values_list("channel", flat=True))


def test_a_payment_rolled_back_leaves_no_message_and_history_sends_none():
    client = ClientFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        _post(client)
        assert Notification.objects.count() == 1
        raise RuntimeError("the step fails after the payment")
    assert not Notification.objects.exists() and not Delivery.objects.exists()

    _post(client, notify=False)  # a payment imported from the former system
    assert not Notification.objects.exists()


def test_a_repeated_payment_post_tells_once():
    client = ClientFactory()
    first = _post(client, idempotency_key="retry-1")
    again = _post(client, idempotency_key="retry-1")
    assert first.pk == again.pk
    assert len(messages(K.PAYMENT_RECEIVED)) == 1


def test_rent_invoices_are_told_to_each_tenant_once():
    leases = [LeaseFactory(status=LeaseStatus.ACTIVE) for _ in range(3)]

    created = leasing.rent_invoices_issue(month=TODAY())

    notes = messages(K.RENT_INVOICE_ISSUED)
    assert created == 3 and len(notes) == 3
    assert {n.client_id for n in notes} == {lease.tenant_id for lease in leases}
    for note in notes:
        placeholders_complete(note)
        assert note.context["invoice"].startswith("INV-")
        assert note.context["amount"] == "8,000.00"
    assert leasing.rent_invoices_issue(month=TODAY()) == 0
    assert len(messages(K.RENT_INVOICE_ISSUED)) == 3


def test_a_renewal_taking_effect_tells_the_tenant_and_the_leasing_manager():
    manager = UserFactory(username="pm1")
    building = BuildingFactory(manager=manager)
    unit = UnitFactory(
        building=building,
        project=building.project,
        purpose="rent",
        list_price=None,
        monthly_rent=D("8000"),
    )
    start = TODAY().replace(day=1)
    lease = leasing.lease_activate(
        lease=leasing.lease_create(
            unit=unit,
            tenant=ClientFactory(),
            start_date=start,
            end_date=start + timedelta(days=364),
            monthly_rent=D("8000"),
        )
    )
    renewal = leasing.lease_renew(lease=lease)
    assert not messages(K.LEASE_RENEWED)  # a draft is an offer: its terms may still change

    leasing.lease_activate(lease=renewal)

    notes = {(n.client_id, n.user_id): n for n in messages(K.LEASE_RENEWED)}
    assert set(notes) == {(lease.tenant_id, None), (None, manager.pk)}
    staff = notes[(None, manager.pk)]
    assert staff.link == reverse("admin:leasing_lease_change", args=[renewal.pk])
    assert staff.context["name"] == manager.get_full_name()
    for note in notes.values():
        placeholders_complete(note)
        assert note.context["lease"] == renewal.number


def test_maintenance_received_assigned_and_completed(roles):
    on_duty = UserFactory(username="lm1", roles=[LEASING_MANAGER])
    reporter = SuperUserFactory(username="desk", roles=[LEASING_MANAGER])
    lease = LeaseFactory(status=LeaseStatus.ACTIVE)  # its unit's project has no manager

    request = leasing.maintenance_request_create(
        unit=lease.unit, title="Leaking tap", category="plumbing", by=reporter
    )

    received = messages(K.MAINTENANCE_RECEIVED)
    # The tenant, and the leasing managers (nobody manages the unit's building or project),
    # but not whoever filed it.
    assert {(n.client_id, n.user_id) for n in received} == {
        (lease.tenant_id, None),
        (None, on_duty.pk),
    }
    for note in received:
        placeholders_complete(note)
    staff = next(n for n in received if n.user_id)
    assert staff.link == reverse("admin:leasing_maintenancerequest_change", args=[request.pk])

    vendor = VendorFactory(name="Quick Fix LLC")
    leasing.maintenance_status_change(
        request=request, status=MaintenanceStatus.IN_PROGRESS, vendor=vendor
    )
    [assigned] = messages(K.MAINTENANCE_ASSIGNED)
    assert assigned.client_id == lease.tenant_id
    assert assigned.context["assignee"] == "Quick Fix LLC"
    placeholders_complete(assigned)

    for status in (
        MaintenanceStatus.COMPLETED,
        MaintenanceStatus.IN_PROGRESS,
        MaintenanceStatus.COMPLETED,
    ):
        leasing.maintenance_status_change(request=request, status=status)
    [completed] = messages(K.MAINTENANCE_COMPLETED)
    placeholders_complete(completed)
    assert len(messages(K.MAINTENANCE_ASSIGNED)) == 1  # the same vendor: not told again


def test_owner_statement_ready_once_however_often_generated():
    owner = ClientFactory()
    month = TODAY().replace(day=1)
    statement = owner_statement_generate(owner=owner, month=month)
    owner_statement_generate(owner=owner, month=month)

    [note] = messages(K.STATEMENT_READY)
    assert (note.client_id, note.object_id) == (owner.pk, statement.pk)
    assert note.context["period"] == month.strftime("%B %Y")
    placeholders_complete(note)


def test_an_expired_reservation_is_told_to_its_agent():
    agent = AgentFactory().user
    reservation = sales.reservation_create(
        unit=UnitFactory(),
        client=ClientFactory(name="Mona Saleh"),
        deposit=D("100"),
        expires_at=timezone.now() + timedelta(minutes=5),
        agent=agent,
    )

    assert sales.reservations_expire(now=timezone.now() + timedelta(hours=1)) == 1
    assert sales.reservations_expire(now=timezone.now() + timedelta(hours=2)) == 0

    [note] = messages(K.RESERVATION_EXPIRED)
    assert (note.user_id, note.object_id) == (agent.pk, reservation.pk)
    assert note.context["client"] == "Mona Saleh"
    assert note.link == reverse("admin:sales_reservation_change", args=[reservation.pk])
    placeholders_complete(note)


def test_an_app_report_reaches_the_unit_manager(roles):
    manager = UserFactory(username="pm2")
    building = BuildingFactory(manager=manager)
    portal = UserFactory(username="tenant8", is_staff=False)
    lease = LeaseFactory(
        status=LeaseStatus.ACTIVE,
        tenant=ClientFactory(portal_user=portal),
        unit=UnitFactory(building=building, project=building.project, purpose="rent"),
    )

    leasing.maintenance_request_report(
        lease=lease, by=portal, category="plumbing", description="No hot water"
    )

    notes = messages(K.MAINTENANCE_RECEIVED)
    assert {(n.client_id, n.user_id) for n in notes} == {
        (lease.tenant_id, portal.pk),
        (None, manager.pk),
    }
    assert {n.context["description"] for n in notes} == {"No hot water"}
