"""A new lease takes its unit's listed monthly rent (and currency) unless another is given:
in the service, on the add form opened from the unit's page, and from the rent endpoint the
form's script asks when a unit is picked."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse, reverse_lazy

from realestate.accounts.roles import LEASING_MANAGER
from realestate.leasing import services
from realestate.leasing.models import Lease
from tests.factories import BuildingFactory, ClientFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal
ADD_URL = reverse("admin:leasing_lease_add")
RENT_URL = reverse_lazy("admin:leasing_lease_unit_rent")


@pytest.fixture
def flat():
    return UnitFactory(
        code="FLAT-9", purpose="rent", list_price=None, monthly_rent=D("9500.00"), currency="USD"
    )


def lease_for(unit, **kwargs):
    return services.lease_create(
        unit=unit,
        tenant=ClientFactory(),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        **kwargs,
    )


# --- the service ----------------------------------------------------------------------------
def test_a_lease_without_a_rent_takes_the_units_listed_rent_and_currency(flat):
    lease = lease_for(flat)

    assert (lease.monthly_rent, lease.currency) == (D("9500.00"), "USD")


def test_a_rent_given_wins_over_the_listed_one(flat):
    assert lease_for(flat, monthly_rent=D("9000")).monthly_rent == D("9000.00")


def test_no_rent_given_and_none_listed_is_refused_clearly():
    unit = UnitFactory(code="NO-RENT", monthly_rent=None)

    with pytest.raises(ValidationError) as refused:
        lease_for(unit)

    assert refused.value.message_dict["monthly_rent"] == [
        "Give the monthly rent: unit NO-RENT has no listed rent."
    ]
    assert not Lease.objects.exists()


# --- the add form ---------------------------------------------------------------------------
def test_the_add_form_opened_for_a_unit_starts_with_its_rent(admin_client, flat):
    response = admin_client.get(ADD_URL, {"unit": flat.pk})

    form = response.context["adminform"].form
    assert str(form.initial["unit"]) == str(flat.pk)
    assert form.initial["monthly_rent"] == D("9500.00")
    assert not form.fields["monthly_rent"].required
    # The script that fills the rent when another unit is picked, from a static file.
    html = response.content.decode()
    assert "leasing/lease_form.js" in html
    assert f'data-rent-url="{RENT_URL}"' in html


def test_an_empty_rent_on_the_add_form_saves_the_units_rent(admin_client, flat):
    data = {
        "unit": flat.pk,
        "tenant": ClientFactory().pk,
        "agent": "",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "term_type": "fixed",
        "monthly_rent": "",
        "billing_frequency": "monthly",
        "billing_day": "1",
        "deposit_amount": "0",
        "escalation_percent": "0",
        "notes": "",
    }

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Lease.objects.get().monthly_rent == D("9500.00")


def test_the_units_page_offers_a_new_lease_for_it(admin_client, flat):
    response = admin_client.get(reverse("admin:properties_unit_change", args=[flat.pk]))

    assert f'href="{ADD_URL}?unit={flat.pk}"' in response.content.decode()


# --- the rent endpoint is scoped -------------------------------------------------------------
@pytest.fixture
def leasing_manager(roles):
    """A leasing manager of one building: its units are theirs, others are not."""
    manager = UserFactory(username="tower-manager", roles=[LEASING_MANAGER])
    tower = BuildingFactory(code="MINE-T", manager=manager)
    mine = UnitFactory(
        code="MINE-1",
        project=tower.project,
        building=tower,
        purpose="rent",
        list_price=None,
        monthly_rent=D("7000.00"),
    )
    theirs = UnitFactory(
        code="THEIRS-1", purpose="rent", list_price=None, monthly_rent=D("12000.00")
    )
    return manager, mine, theirs


def test_the_rent_endpoint_answers_only_for_units_one_may_see(client, leasing_manager):
    manager, mine, theirs = leasing_manager
    client.force_login(manager)

    assert client.get(str(RENT_URL), {"unit": mine.pk}).json() == {
        "monthly_rent": "7000.00",
        "currency": "AED",
    }
    assert client.get(str(RENT_URL), {"unit": theirs.pk}).status_code == 404
    assert client.get(str(RENT_URL), {"unit": "nonsense"}).status_code == 404


def test_the_add_form_does_not_show_the_rent_of_a_unit_out_of_scope(client, leasing_manager):
    manager, _mine, theirs = leasing_manager
    client.force_login(manager)

    response = client.get(ADD_URL, {"unit": theirs.pk})

    assert response.status_code == 200
    assert "monthly_rent" not in response.context["adminform"].form.initial
    assert "12000" not in response.content.decode()


def test_the_rent_endpoint_needs_the_right_to_make_leases(client, flat, roles):
    from realestate.accounts.roles import AUDITOR

    client.force_login(UserFactory(username="reader", roles=[AUDITOR]))

    assert client.get(str(RENT_URL), {"unit": flat.pk}).status_code == 403
