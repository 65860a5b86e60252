"""A unit's status moves only along its flow, and only workflows reserve, sell or let it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from realestate.core.signals import status_changed
from realestate.properties import services
from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def stored_status(unit):
    return Unit.objects.values_list("status", flat=True).get(pk=unit.pk)


def test_off_market_unit_returns_to_market():
    unit = UnitFactory()
    services.unit_take_off_market(unit=unit)
    assert stored_status(unit) == UnitStatus.OFF_MARKET

    services.unit_return_to_market(unit=unit)

    assert stored_status(unit) == UnitStatus.AVAILABLE
    assert unit.status == UnitStatus.AVAILABLE


def test_available_unit_cannot_jump_to_sold():
    unit = UnitFactory()
    with pytest.raises(ValidationError) as raised:
        services.unit_status_change(unit=unit, status=UnitStatus.SOLD, workflow=True)
    assert raised.value.code == "invalid_transition"
    assert "Available" in raised.value.messages[0] and "Sold" in raised.value.messages[0]
    assert stored_status(unit) == UnitStatus.AVAILABLE


@pytest.mark.parametrize("status", [UnitStatus.RESERVED, UnitStatus.SOLD, UnitStatus.LEASED])
def test_workflow_statuses_cannot_be_set_by_hand(status):
    unit = UnitFactory()
    with pytest.raises(ValidationError) as raised:
        services.unit_status_change(unit=unit, status=status)
    assert raised.value.code == "workflow_only"
    assert stored_status(unit) == UnitStatus.AVAILABLE


def test_workflow_reserves_then_sells(superuser):
    unit = UnitFactory()
    changes = []

    def record(sender, instance, source, target, by, **kwargs):
        changes.append((source, target, by))

    status_changed.connect(record, sender=Unit)
    try:
        services.unit_status_change(
            unit=unit, status=UnitStatus.RESERVED, workflow=True, by=superuser
        )
        assert stored_status(unit) == UnitStatus.RESERVED
        services.unit_status_change(unit=unit, status=UnitStatus.SOLD, workflow=True)
    finally:
        status_changed.disconnect(record, sender=Unit)

    assert stored_status(unit) == UnitStatus.SOLD
    assert changes == [
        (UnitStatus.AVAILABLE, UnitStatus.RESERVED, superuser),
        (UnitStatus.RESERVED, UnitStatus.SOLD, None),
    ]
    # The change is in the unit's history, with who made it.
    latest = unit.history.order_by("-history_id").first()
    assert latest.status == UnitStatus.SOLD
    assert unit.history.filter(status=UnitStatus.RESERVED).get().history_user == superuser


@pytest.mark.parametrize("held", [UnitStatus.RESERVED, UnitStatus.LEASED])
def test_held_unit_is_not_put_back_on_market_by_hand(held):
    # Its reservation or lease still stands: offering the unit again could let it be
    # taken twice. Only the workflow that holds it may release it.
    unit = UnitFactory()
    services.unit_status_change(unit=unit, status=held, workflow=True)

    with pytest.raises(ValidationError) as raised:
        services.unit_return_to_market(unit=unit)
    assert raised.value.code == "workflow_only"
    assert stored_status(unit) == held

    services.unit_status_change(unit=unit, status=UnitStatus.AVAILABLE, workflow=True)
    assert stored_status(unit) == UnitStatus.AVAILABLE


def test_sold_unit_is_not_put_back_on_market_by_hand():
    unit = UnitFactory()
    services.unit_status_change(unit=unit, status=UnitStatus.RESERVED, workflow=True)
    services.unit_status_change(unit=unit, status=UnitStatus.SOLD, workflow=True)

    for by_hand in (services.unit_return_to_market, services.unit_take_off_market):
        with pytest.raises(ValidationError):
            by_hand(unit=unit)
    assert stored_status(unit) == UnitStatus.SOLD


def test_admin_detail_action_takes_unit_off_market(admin_client):
    unit = UnitFactory()
    url = reverse("admin:properties_unit_take_off_market", args=[unit.pk])
    assert url == f"/admin/properties/unit/{unit.pk}/take-off-market/"

    # A link never moves a unit: the GET shows a confirmation, the POST moves it.
    assert admin_client.get(url).status_code == 200
    assert stored_status(unit) == UnitStatus.AVAILABLE
    response = admin_client.post(url, {"_form_submitted": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:properties_unit_change", args=[unit.pk])
    assert stored_status(unit) == UnitStatus.OFF_MARKET
    assert f"Unit {unit} taken off market." in [str(m) for m in response.context["messages"]]


def test_admin_detail_action_reports_refused_change(admin_client):
    unit = UnitFactory()
    services.unit_status_change(unit=unit, status=UnitStatus.RESERVED, workflow=True)

    response = admin_client.post(
        reverse("admin:properties_unit_take_off_market", args=[unit.pk]),
        {"_form_submitted": "on"},
        follow=True,
    )

    assert response.status_code == 200
    assert stored_status(unit) == UnitStatus.RESERVED
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [f"Nothing changed: {unit} is reserved."]


@pytest.mark.parametrize(
    "status,shown,hidden",
    [
        (UnitStatus.AVAILABLE, "take_off_market", "return_to_market"),
        (UnitStatus.OFF_MARKET, "return_to_market", "take_off_market"),
    ],
)
def test_unit_page_offers_only_the_move_that_applies(admin_client, status, shown, hidden):
    unit = UnitFactory()
    if status == UnitStatus.OFF_MARKET:
        services.unit_take_off_market(unit=unit)
    page = admin_client.get(reverse("admin:properties_unit_change", args=[unit.pk]))
    html = page.content.decode()
    assert reverse(f"admin:properties_unit_{shown}", args=[unit.pk]) in html
    assert reverse(f"admin:properties_unit_{hidden}", args=[unit.pk]) not in html


def test_reserved_unit_offers_no_market_move(admin_client):
    unit = UnitFactory()
    services.unit_status_change(unit=unit, status=UnitStatus.RESERVED, workflow=True)
    html = admin_client.get(reverse("admin:properties_unit_change", args=[unit.pk])).content
    for name in ("take_off_market", "return_to_market"):
        assert reverse(f"admin:properties_unit_{name}", args=[unit.pk]).encode() not in html


def test_returning_an_available_unit_says_nothing_changed(admin_client):
    unit = UnitFactory()
    response = admin_client.post(
        reverse("admin:properties_unit_changelist"),
        {"action": "return_to_market_selected", "_selected_action": [unit.pk]},
        follow=True,
    )
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert messages == [("warning", f"Nothing changed: {unit} is available.")]
    with pytest.raises(ValidationError, match="already available: nothing changed"):
        services.unit_return_to_market(unit=unit)
