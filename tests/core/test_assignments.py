"""Agent fields take active sales agents only: in the admin's forms and autocomplete, in the
services and in the importer. The agent a record holds already stays valid."""

from datetime import timedelta
from decimal import Decimal

import pytest
import tablib
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from realestate.accounts.roles import ACCOUNTANT
from realestate.clients.models import Client, Lead, Viewing
from realestate.leasing import services as leasing
from realestate.leasing.models import Lease
from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit
from realestate.properties.resources import UnitResource
from realestate.sales import services as sales
from realestate.sales.models import Reservation, SaleContract
from tests.factories import (
    AgentFactory,
    ClientFactory,
    LeadFactory,
    LeaseFactory,
    ProjectFactory,
    ReservationFactory,
    SaleContractFactory,
    UnitFactory,
    UserFactory,
    ViewingFactory,
)

pytestmark = pytest.mark.django_db

AGENT_MODELS = [Unit, Client, Lead, Viewing, Reservation, SaleContract, Lease]


@pytest.fixture
def people(roles):
    """An active agent, an agent who has left, and the accountant (no agent profile)."""
    agent = AgentFactory(user=UserFactory(username="active-agent")).user
    former = AgentFactory(user=UserFactory(username="former-agent"), is_active=False).user
    accountant = UserFactory(username="accountant", roles=[ACCOUNTANT])
    return agent, former, accountant


def form_choices(user, model, obj=None, field="agent"):
    request = RequestFactory().get("/admin/")
    request.user = user
    return set(admin.site._registry[model].get_form(request, obj).base_fields[field].queryset)


def offered(client, user, app_label, model_name, field_name="agent"):
    client.force_login(user)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    return {int(row["id"]) for row in response.json()["results"]}


def reservation_data(unit, client, agent):
    expires = timezone.localtime() + timedelta(days=5)
    return {
        "unit": unit.pk,
        "client": client.pk,
        "agent": agent.pk,
        "deposit": "25000",
        "expires_at_0": expires.strftime("%Y-%m-%d"),
        "expires_at_1": "12:00:00",
        "notes": "",
    }


# --- the admin ------------------------------------------------------------------------------
def test_reservation_form_refuses_the_accountant_as_agent(admin_client, people):
    _agent, _former, accountant = people
    unit = UnitFactory(status=UnitStatus.AVAILABLE)

    response = admin_client.post(
        reverse("admin:sales_reservation_add"), reservation_data(unit, ClientFactory(), accountant)
    )

    assert response.status_code == 200
    assert "agent" in response.context["adminform"].form.errors
    assert not Reservation.objects.exists()
    unit.refresh_from_db()
    assert unit.status == UnitStatus.AVAILABLE


def test_reservation_form_saves_an_active_agent(admin_client, people):
    agent, _former, _accountant = people
    unit = UnitFactory(status=UnitStatus.AVAILABLE)

    response = admin_client.post(
        reverse("admin:sales_reservation_add"), reservation_data(unit, ClientFactory(), agent)
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Reservation.objects.get().agent == agent


def test_reservation_agent_autocomplete_offers_active_agents_only(client, superuser, people):
    agent, former, accountant = people

    ids = offered(client, superuser, "sales", "reservation")

    assert agent.pk in ids
    assert former.pk not in ids and accountant.pk not in ids and superuser.pk not in ids


@pytest.mark.parametrize("model", AGENT_MODELS, ids=lambda m: m._meta.label)
def test_every_agent_field_offers_active_agents_only(client, superuser, people, model):
    agent, former, accountant = people

    assert form_choices(superuser, model) == {agent}
    opts = model._meta
    assert offered(client, superuser, opts.app_label, opts.model_name) == {agent.pk}


def existing_record(model, holder):
    """A record of ``model`` assigned (before this rule) to ``holder``."""
    if model is Unit:
        return UnitFactory(agent=holder)
    if model is Client:
        return ClientFactory(agent=holder)
    if model is Lead:
        return LeadFactory(agent=holder)
    if model is Viewing:
        return ViewingFactory(agent=holder)
    if model is Reservation:
        return ReservationFactory(agent=holder)
    if model is SaleContract:
        return SaleContractFactory(agent=holder)
    return LeaseFactory(agent=holder)


@pytest.mark.parametrize("model", AGENT_MODELS, ids=lambda m: m._meta.label)
def test_the_current_agent_of_a_record_stays_a_choice(superuser, people, model):
    agent, former, accountant = people
    record = existing_record(model, former)

    assert form_choices(superuser, model, record) == {agent, former}


def test_an_unchanged_former_agent_stays_valid_but_a_new_non_agent_is_refused(superuser, people):
    agent, former, accountant = people
    record = ClientFactory(agent=former, email="kept@example.com")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    form_class = admin.site._registry[Client].get_form(request, record)

    def bound(agent):
        data = {
            name: value
            for name, value in forms.model_to_dict(record).items()
            if name in form_class.base_fields and value is not None
        }
        return form_class(data | {"name": "Kept Client", "agent": agent.pk}, instance=record)

    kept = bound(former)
    assert kept.is_valid(), kept.errors
    kept.save()
    record.refresh_from_db()
    assert (record.name, record.agent) == ("Kept Client", former)
    assert "agent" in bound(accountant).errors
    # The model itself refuses it too (the importer and the services validate with it).
    record.agent = accountant
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert "agent" in refused.value.error_dict


# --- the services ----------------------------------------------------------------------------
def in_days(days):
    return timezone.now() + timedelta(days=days)


def test_reservation_service_refuses_a_non_agent(people):
    _agent, former, accountant = people
    unit = UnitFactory()
    for wrong in (accountant, former):
        with pytest.raises(ValidationError) as refused:
            sales.reservation_create(
                unit=unit,
                client=ClientFactory(),
                deposit=Decimal("100"),
                expires_at=in_days(3),
                agent=wrong,
            )
        assert "not an active sales agent" in refused.value.message_dict["agent"][0]
    assert not Reservation.objects.exists()
    unit.refresh_from_db()
    assert unit.status == UnitStatus.AVAILABLE


def test_contract_and_lease_services_refuse_a_non_agent(people):
    _agent, _former, accountant = people
    with pytest.raises(ValidationError) as refused:
        sales.contract_create(
            unit=UnitFactory(), buyer=ClientFactory(), price=Decimal("1000"), agent=accountant
        )
    assert "agent" in refused.value.message_dict
    unit = UnitFactory(purpose="rent", list_price=None, monthly_rent=Decimal("5000"))
    with pytest.raises(ValidationError) as refused:
        leasing.lease_create(
            unit=unit,
            tenant=ClientFactory(),
            agent=accountant,
            start_date=timezone.localdate(),
            end_date=None,
            term_type="periodic",
        )
    assert "agent" in refused.value.message_dict
    assert not SaleContract.objects.exists() and not Lease.objects.exists()


def test_a_former_agent_of_the_unit_is_not_copied_into_a_new_deal(people):
    agent, former, _accountant = people
    unit = UnitFactory(agent=former)

    reservation = sales.reservation_create(
        unit=unit, client=ClientFactory(), deposit=Decimal("0"), expires_at=in_days(3)
    )
    assert reservation.agent is None

    mine = sales.reservation_create(
        unit=UnitFactory(agent=agent),
        client=ClientFactory(),
        deposit=Decimal("0"),
        expires_at=in_days(3),
    )
    assert mine.agent == agent


def test_lease_update_keeps_its_agent_but_refuses_a_new_non_agent(people):
    _agent, former, accountant = people
    lease = LeaseFactory(agent=former)

    lease = leasing.lease_update(lease=lease, notes="Renewal talks")
    assert lease.agent == former
    with pytest.raises(ValidationError) as refused:
        leasing.lease_update(lease=lease, agent=accountant)
    assert "agent" in refused.value.message_dict


# --- the importer ----------------------------------------------------------------------------
def test_unit_import_refuses_a_non_agent(people):
    ProjectFactory(code="palm-villas")
    dataset = tablib.Dataset(
        headers=["code", "project", "unit_type", "purpose", "area_sqm", "list_price", "agent"]
    )
    dataset.append(["PV-8", "palm-villas", "villa", "sale", "300", "5000000", "accountant"])

    result = UnitResource().import_data(dataset, dry_run=False)

    [invalid] = result.invalid_rows
    assert "agent" in invalid.field_specific_errors
    assert not Unit.objects.filter(code="PV-8").exists()


def test_grants_follow_an_assignment_of_a_record_read_without_its_agent(people):
    """A unit read with ``only()`` (the invoice list reads units so) does not read its agent
    for each row, and a reassignment of it still moves the grants."""
    agent, other = (UserFactory(username=name) for name in ("a-first", "a-second"))
    for user in (agent, other):
        AgentFactory(user=user)
    unit = UnitFactory(agent=agent)
    assert set(Unit.objects.restrict(agent)) == {unit}

    partial = Unit.objects.only("code").get(pk=unit.pk)
    assert "agent_id" not in partial.__dict__
    partial.agent = other
    partial.save()

    assert set(Unit.objects.restrict(other)) == {unit}
    assert not Unit.objects.restrict(agent).exists()
