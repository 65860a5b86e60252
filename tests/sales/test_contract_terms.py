"""A contract's handover date and payment plan must fit its unit: no handover date in the
past, no payment due on handover for a unit whose project is completed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from realestate.properties.choices import ProjectStatus, UnitStatus
from realestate.sales import services
from realestate.sales.choices import ContractStatus
from realestate.sales.models import SaleContract
from tests.factories import ClientFactory, PaymentPlanFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = timezone.localdate()


def days(n):
    return TODAY + timedelta(days=n)


@pytest.fixture
def completed():
    return ProjectFactory(
        code="marina-heights",
        name="Marina Heights",
        status=ProjectStatus.COMPLETED,
        handover_date=days(-900),
    )


@pytest.fixture
def off_plan():
    return PaymentPlanFactory(
        name="Off-plan 10/70/20",
        down_payment_percent=D("10"),
        instalment_count=7,
        handover_percent=D("20"),
        grace_months=1,
    )


@pytest.fixture
def post_handover():
    return PaymentPlanFactory(
        name="Post-handover 20/80",
        down_payment_percent=D("20"),
        instalment_count=20,
        frequency="quarterly",
        handover_percent=D("0"),
        grace_months=3,
    )


def draft(unit, **kwargs):
    return services.contract_create(unit=unit, buyer=ClientFactory(), price=D("1000000"), **kwargs)


# --- the handover date ----------------------------------------------------------------------
def test_a_past_project_handover_date_is_not_copied():
    late = ProjectFactory(status=ProjectStatus.UNDER_CONSTRUCTION, handover_date=days(-10))
    coming = ProjectFactory(status=ProjectStatus.UNDER_CONSTRUCTION, handover_date=days(300))

    assert draft(UnitFactory(project=late)).handover_date is None
    assert draft(UnitFactory(project=coming)).handover_date == days(300)


def test_a_completed_projects_handover_date_is_not_copied(completed):
    assert draft(UnitFactory(project=completed)).handover_date is None


def test_a_handover_date_before_today_is_refused_on_a_new_draft():
    with pytest.raises(ValidationError) as refused:
        draft(UnitFactory(), handover_date=days(-1))

    assert "in the past" in refused.value.message_dict["handover_date"][0]
    assert not SaleContract.objects.exists()


def test_a_handover_date_before_the_signing_date_is_refused():
    with pytest.raises(ValidationError) as refused:
        draft(UnitFactory(), signing_date=days(30), handover_date=days(20))

    assert "before the signing date" in refused.value.message_dict["handover_date"][0]
    # A back-dated signing with the handover after it is fine.
    assert draft(UnitFactory(), signing_date=days(-60), handover_date=days(-30)).pk


def test_signing_after_the_handover_date_is_refused():
    contract = draft(UnitFactory(), handover_date=days(10))

    with pytest.raises(ValidationError, match="before the signing date"):
        services.contract_sign(contract=contract, signing_date=days(11))

    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
    assert contract.unit.status == UnitStatus.AVAILABLE


# --- the plan of a unit already handed over ------------------------------------------------------
def test_a_handover_plan_is_refused_for_a_completed_project(completed, off_plan):
    with pytest.raises(ValidationError) as refused:
        draft(UnitFactory(project=completed), plan=off_plan)

    [message] = refused.value.message_dict["plan"]
    assert "Off-plan 10/70/20" in message and "Marina Heights" in message
    assert not SaleContract.objects.exists()


def test_handover_terms_without_a_plan_are_refused_for_a_completed_project(completed):
    terms = {
        "down_payment_percent": D("10"),
        "instalment_count": 4,
        "frequency": "monthly",
        "handover_percent": D("30"),
        "grace_months": 0,
    }

    with pytest.raises(ValidationError) as refused:
        draft(UnitFactory(project=completed), terms=terms)

    assert "Marina Heights" in refused.value.message_dict["handover_percent"][0]


def test_a_post_handover_plan_with_grace_months_suits_a_completed_project(completed, post_handover):
    contract = draft(UnitFactory(project=completed), plan=post_handover)

    services.contract_sign(contract=contract)
    assert contract.status == ContractStatus.SIGNED


def test_a_handover_plan_suits_a_project_under_construction(off_plan):
    project = ProjectFactory(status=ProjectStatus.UNDER_CONSTRUCTION, handover_date=days(400))

    contract = draft(UnitFactory(project=project), plan=off_plan)

    assert (contract.handover_percent, contract.handover_date) == (D("20"), days(400))


def test_signing_refuses_a_handover_plan_once_the_project_is_completed(off_plan):
    project = ProjectFactory(status=ProjectStatus.UNDER_CONSTRUCTION, handover_date=days(5))
    contract = draft(UnitFactory(project=project), plan=off_plan)
    project.status = ProjectStatus.COMPLETED
    project.save()

    with pytest.raises(ValidationError, match="is completed"):
        services.contract_sign(contract=SaleContract.objects.get(pk=contract.pk))
    assert SaleContract.objects.get(pk=contract.pk).status == ContractStatus.DRAFT


# --- the admin shows each refusal on its field ---------------------------------------------
def contract_data(unit, plan, **changes):
    return {
        "unit": unit.pk,
        "buyer": ClientFactory().pk,
        "plan": plan.pk,
        "price": "900000",
        "discount": "0",
        "commission_rate": "",
        "signing_date": "",
        "handover_date": "",
        "notes": "",
        "agent": "",
        "down_payment_percent": "10",
        "instalment_count": "12",
        "frequency": "monthly",
        "handover_percent": "0",
        "grace_months": "0",
        **changes,
    }


def test_the_add_form_shows_the_plan_refusal_on_the_plan(admin_client, completed, off_plan):
    unit = UnitFactory(project=completed)

    response = admin_client.post(
        reverse("admin:sales_salecontract_add"), contract_data(unit, off_plan)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Marina Heights" in errors["plan"][0]
    assert not SaleContract.objects.exists()


def test_a_draft_edit_refuses_a_past_handover_date_on_its_field(admin_client, post_handover):
    contract = draft(UnitFactory(), plan=post_handover)
    url = reverse("admin:sales_salecontract_change", args=[contract.pk])
    data = contract_data(
        contract.unit,
        post_handover,
        buyer=contract.buyer_id,
        handover_date=days(-3).isoformat(),
        notes="Moved handover",
        down_payment_percent="20",
        instalment_count="20",
        frequency="quarterly",
        grace_months="3",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "in the past" in response.context["adminform"].form.errors["handover_date"][0]
    contract.refresh_from_db()
    assert (contract.handover_date, contract.notes) == (None, "")

    response = admin_client.post(url, data | {"handover_date": days(90).isoformat()})
    assert response.status_code == 302, response.context["adminform"].form.errors
    contract.refresh_from_db()
    assert (contract.handover_date, contract.notes) == (days(90), "Moved handover")
