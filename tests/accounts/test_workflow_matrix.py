"""Every workflow action × every role: allowed, or refused with the record unchanged.

A grant that lets someone see and change a record is no authority to move money: approving
or paying a commission, reversing a payment, voiding a receivable, returning or keeping a
deposit and generating owner statements need a permission that roles hold by design
(``fixtures/roles.json``), and nobody runs a step that benefits themselves.

The tables below name the outcome for each role on one shared cast of records: ``OK``, 403
(the role may see the record but not run the step) or 404 (the record is out of the role's
scope). ``test_every_admin_action_has_a_rule`` reads the admin site: an action that changes
anything must be a workflow step with a row here, so a new action without a rule fails.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_q.models import OrmQ

from realestate.accounts.roles import (
    ACCOUNTANT,
    ADMINISTRATOR,
    AUDITOR,
    LEASING_MANAGER,
    SALES_AGENT,
    SALES_MANAGER,
)
from realestate.core.admin import StepActionsMixin
from realestate.core.workflow import STEPS, StepRefused
from realestate.finance import services as finance
from realestate.finance.models import OwnerStatement, Payment, Receivable
from realestate.leasing import services as leasing
from realestate.leasing.models import Lease
from realestate.properties import services as properties
from realestate.sales import services as sales
from realestate.sales.models import Commission, SaleContract
from tests.factories import (
    AgentFactory,
    BranchFactory,
    ClientFactory,
    FailureFactory,
    LeadFactory,
    ProjectFactory,
    SuccessFactory,
    UnitFactory,
    UserFactory,
    ViewingFactory,
)

pytestmark = pytest.mark.django_db

OK = "ok"
ROLES = [ADMINISTRATOR, SALES_MANAGER, SALES_AGENT, LEASING_MANAGER, ACCOUNTANT, AUDITOR]
TODAY = timezone.localdate


def row(admin_, sales_manager, agent, leasing_manager, accountant, auditor):
    return dict(zip(ROLES, (admin_, sales_manager, agent, leasing_manager, accountant, auditor),
                    strict=True))


# --- the cast -------------------------------------------------------------------------------
@pytest.fixture
def cast(roles):
    """A sales manager running the branch of one agent, a leasing manager running the project
    the agent's units stand in, an accountant, an auditor and an administrator (by role, not
    a superuser). Every record below is the agent's, in that project."""
    branch = BranchFactory(code="downtown")
    users = {role: UserFactory(username=role.lower().replace(" ", "-"), roles=[role])
             for role in ROLES}
    for role in (SALES_MANAGER, SALES_AGENT):
        AgentFactory(user=users[role], branch=branch)
    branch.manager = users[SALES_MANAGER]
    branch.save()
    project = ProjectFactory(code="marina-heights", manager=users[LEASING_MANAGER])
    agent = users[SALES_AGENT]
    client = ClientFactory(agent=agent)
    return SimpleNamespace(users=users, agent=agent, project=project, client=client)


def unit(cast, **fields):
    fields = {"project": cast.project, "agent": cast.agent, "purpose": "both",
              "list_price": Decimal("1000000.00"), "monthly_rent": Decimal("8000.00"), **fields}
    return UnitFactory(**fields)


def reservation(cast):
    return sales.reservation_create(unit=unit(cast), client=cast.client, deposit=Decimal("5000"),
                                    expires_at=timezone.now() + timedelta(days=7))


def contract(cast):
    return sales.contract_create(unit=unit(cast), buyer=cast.client, price=Decimal("1000000"),
                                 terms={"down_payment_percent": Decimal("10"),
                                        "instalment_count": 3, "frequency": "monthly",
                                        "handover_percent": Decimal("0"), "grace_months": 0})


def signed(cast):
    return sales.contract_sign(contract=contract(cast))


def commission(cast, approved=False, agent=None):
    made = signed(cast).commissions.get()
    if agent is not None:
        Commission.objects.filter(pk=made.pk).update(agent=agent)
        made.refresh_from_db()
    return sales.commission_approve(commission=made) if approved else made


def lease(cast, active=True, deposit=False):
    made = leasing.lease_create(unit=unit(cast), tenant=cast.client, start_date=TODAY(),
                                end_date=TODAY() + timedelta(days=364),
                                monthly_rent=Decimal("8000"), deposit_amount=Decimal("8000"))
    if active:
        made = leasing.lease_activate(lease=made)
    if deposit:
        leasing.deposit_record(lease=made, movement="received", amount=Decimal("8000"))
    return made


def payment(cast):
    signed(cast)
    return finance.payment_post(client=cast.client, amount=Decimal("1000"), method="cash",
                                received_on=TODAY())


def receivable(cast):
    return signed(cast).receivables.order_by("due_date").first()


def statement(cast):
    unit(cast, owner=cast.client)
    return finance.owner_statement_generate(owner=cast.client, month=TODAY())


def fresh(record):
    return type(record)._default_manager.get(pk=record.pk)


# --- detail actions: (admin, action) -> (make, dialog data, effect, outcomes) ---------------
DETAIL = {
    ("properties.Unit", "take_off_market"): (
        unit, {}, lambda u: fresh(u).status == "off_market", row(OK, OK, OK, OK, 403, 403)),
    ("properties.Unit", "return_to_market"): (
        lambda c: properties.unit_take_off_market(unit=unit(c)), {},
        lambda u: fresh(u).status == "available", row(OK, OK, OK, OK, 403, 403)),
    ("clients.Lead", "advance"): (
        lambda c: LeadFactory(client=c.client), {}, lambda lead: fresh(lead).status == "contacted",
        row(OK, OK, OK, 404, 404, 403)),
    ("clients.Viewing", "mark_done"): (
        lambda c: ViewingFactory(client=c.client, unit=unit(c)), {"feedback": "Liked it"},
        lambda v: fresh(v).status == "done", row(OK, OK, OK, 404, 404, 403)),
    ("clients.Viewing", "mark_no_show"): (
        lambda c: ViewingFactory(client=c.client, unit=unit(c)), {},
        lambda v: fresh(v).status == "no_show", row(OK, OK, OK, 404, 404, 403)),
    ("clients.Viewing", "mark_cancelled"): (
        lambda c: ViewingFactory(client=c.client, unit=unit(c)), {},
        lambda v: fresh(v).status == "cancelled", row(OK, OK, OK, 404, 404, 403)),
    ("sales.Reservation", "convert"): (
        reservation, {}, lambda r: SaleContract.objects.filter(reservation=r).exists(),
        row(OK, OK, OK, 404, 403, 403)),
    ("sales.Reservation", "cancel"): (
        reservation, {"reason": "Client withdrew"}, lambda r: fresh(r).status == "cancelled",
        row(OK, OK, OK, 404, 403, 403)),
    ("sales.SaleContract", "sign"): (
        contract, {"signing_date": ""}, lambda k: fresh(k).status == "signed",
        row(OK, OK, OK, 404, 403, 403)),
    ("sales.SaleContract", "cancel"): (
        contract, {"reason": "Buyer withdrew"}, lambda k: fresh(k).status == "cancelled",
        row(OK, OK, OK, 404, 403, 403)),
    ("sales.SaleContract", "record_payment"): (
        signed, {}, None, row(OK, 403, 403, 404, OK, 403)),
    ("sales.Commission", "approve"): (
        commission, {}, lambda k: fresh(k).status == "approved", row(OK, OK, 403, 404, OK, 403)),
    ("sales.Commission", "pay"): (
        lambda c: commission(c, approved=True), {}, lambda k: fresh(k).status == "paid",
        row(OK, 403, 403, 404, OK, 403)),
    ("leasing.Lease", "activate"): (
        lambda c: lease(c, active=False), {}, lambda x: fresh(x).status == "active",
        row(OK, 404, OK, OK, 403, 403)),
    ("leasing.Lease", "renew"): (
        lease, {"start_date": "", "end_date": "", "monthly_rent": ""},
        lambda x: Lease.objects.filter(renewed_from=x).exists(), row(OK, 404, OK, OK, 403, 403)),
    ("leasing.Lease", "end"): (
        lease, {"on": "{today}"}, lambda x: fresh(x).status == "ended",
        row(OK, 404, OK, OK, 403, 403)),
    ("leasing.Lease", "terminate"): (
        lease, {"reason": "Tenant left", "on": "{today}"},
        lambda x: fresh(x).status == "terminated", row(OK, 404, OK, OK, 403, 403)),
    ("leasing.Lease", "receive_deposit"): (
        lease, {"amount": "8000", "on": "{today}", "note": ""},
        lambda x: x.deposit_movements.filter(movement="received").exists(),
        row(OK, 404, OK, OK, 403, 403)),
    ("leasing.Lease", "release_deposit"): (
        lambda c: lease(c, deposit=True),
        {"movement": "returned", "amount": "8000", "on": "{today}", "note": ""},
        lambda x: x.deposit_movements.filter(movement="returned").exists(),
        row(OK, 404, 403, 403, OK, 403)),
    ("leasing.Lease", "record_payment"): (
        lease, {}, None, row(OK, 404, 403, 403, OK, 403)),
    ("finance.Payment", "reverse_payment"): (
        payment, {"reason": "Cheque bounced"}, lambda p: fresh(p).status == "reversed",
        row(OK, 403, 404, 404, OK, 403)),
    ("finance.Receivable", "void"): (
        receivable, {"reason": "Waived"}, lambda r: fresh(r).status == "void",
        row(OK, 403, 403, 403, OK, 403)),
    ("finance.Receivable", "record_payment"): (
        receivable, {}, None, row(OK, 403, 403, 403, OK, 403)),
    ("finance.OwnerStatement", "regenerate"): (
        statement, {},
        lambda s: LogEntry.objects.filter(object_id=str(s.pk),
                                          change_message__startswith="Generate").exists(),
        row(OK, 404, 404, 404, OK, 403)),
}

BULK = {
    ("properties.Unit", "take_off_market_selected"): (
        unit, lambda u: fresh(u).status == "off_market", row(OK, OK, OK, OK, 403, 403)),
    ("properties.Unit", "return_to_market_selected"): (
        lambda c: properties.unit_take_off_market(unit=unit(c)),
        lambda u: fresh(u).status == "available", row(OK, OK, OK, OK, 403, 403)),
    ("clients.Viewing", "mark_done_selected"): (
        lambda c: ViewingFactory(client=c.client, unit=unit(c)),
        lambda v: fresh(v).status == "done", row(OK, OK, OK, 403, 403, 403)),
    ("clients.Viewing", "mark_no_show_selected"): (
        lambda c: ViewingFactory(client=c.client, unit=unit(c)),
        lambda v: fresh(v).status == "no_show", row(OK, OK, OK, 403, 403, 403)),
    ("clients.Viewing", "mark_cancelled_selected"): (
        lambda c: ViewingFactory(client=c.client, unit=unit(c)),
        lambda v: fresh(v).status == "cancelled", row(OK, OK, OK, 403, 403, 403)),
    ("sales.Commission", "approve_selected"): (
        commission, lambda k: fresh(k).status == "approved", row(OK, OK, 403, 403, OK, 403)),
    ("sales.Commission", "pay_selected"): (
        lambda c: commission(c, approved=True), lambda k: fresh(k).status == "paid",
        row(OK, 403, 403, 403, OK, 403)),
    ("finance.OwnerStatement", "regenerate_selected"): (
        statement,
        lambda s: LogEntry.objects.filter(object_id=str(s.pk),
                                          change_message__startswith="Generate").exists(),
        row(OK, 403, 403, 403, OK, 403)),
    ("django_q.Success", "resubmit_task"): (
        lambda c: SuccessFactory(), lambda task: OrmQ.objects.exists(),
        row(OK, 403, 403, 403, 403, 403)),
    ("django_q.Failure", "resubmit_task"): (
        lambda c: FailureFactory(), lambda task: OrmQ.objects.exists(),
        row(OK, 403, 403, 403, 403, 403)),
    ("accounts.User", "reset_two_factor"): (
        lambda c: TOTPDevice.objects.create(user=UserFactory(username="has-2fa"), name="App",
                                            confirmed=True).user,
        lambda u: not TOTPDevice.objects.filter(user=u).exists(),
        row(OK, 403, 403, 403, 403, 403)),
}

LIST = {
    ("finance.OwnerStatement", "generate"): (
        lambda c: unit(c, owner=c.client),
        lambda u: OwnerStatement.objects.filter(owner=u.owner).exists(),
        row(OK, 403, 403, 403, OK, 403)),
}

#: Actions that change nothing: PDFs, the access page, exports. Everything else is a step.
READING = {"fact_sheet", "receipt_pdf", "object_access", "export_admin_action",
           "delete_selected"}  # deleting: the permission matrix covers it


def admin_of(label):
    return next(a for m, a in admin.site._registry.items() if m._meta.label == label)


def admin_url(label, name, *args):
    app, model = label.lower().split(".")
    return reverse(f"admin:{app}_{model}_{name}", args=args)


def snapshot(record):
    return type(record)._default_manager.filter(pk=record.pk).values().get()


def cases(table):
    return [(key, role) for key in table for role in ROLES]


def case_id(case):
    (label, name), role = case
    return f"{label}.{name}-{role}"


# --- the completeness check ---------------------------------------------------------------
def test_every_admin_action_has_a_rule():
    """Every action of every admin is a workflow step with a row in these tables, or one of
    the few that change nothing."""
    covered = {key for table in (DETAIL, BULK, LIST) for key in table}
    unruled = []
    for model, model_admin in admin.site._registry.items():
        names = set(model_admin._extract_action_names(getattr(model_admin, "actions_detail",
                                                              None) or []))
        names |= set(model_admin._extract_action_names(getattr(model_admin, "actions_list",
                                                               None) or []))
        names |= {name for _func, name, _desc in model_admin._get_base_actions()}
        for name in names - READING:
            if (model._meta.label, name) not in covered:
                unruled.append(f"{model._meta.label}.{name}")
    assert unruled == [], f"actions without a rule in the workflow matrix: {unruled}"
    for (label, name) in DETAIL:
        model_admin = admin_of(label)
        if name != "record_payment":
            assert isinstance(model_admin, StepActionsMixin) and name in model_admin.steps


def test_every_step_service_states_its_rule():
    assert len(STEPS) >= 25
    for name, service in STEPS.items():
        assert service.rule.label, name


# --- detail actions -----------------------------------------------------------------------
@pytest.mark.parametrize("case", cases(DETAIL), ids=case_id)
def test_detail_action_by_role(client, cast, case):
    (label, name), role = case
    make, data, effect, outcomes = DETAIL[(label, name)]
    record = make(cast)
    before = snapshot(record)
    client.force_login(cast.users[role])
    url = admin_url(label, name, record.pk)
    data = {key: value.format(today=TODAY().isoformat()) for key, value in data.items()}
    expected = outcomes[role]

    shown = client.get(admin_url(label, "change", record.pk))
    response = client.post(url, {"_form_submitted": "on", **data}, HTTP_HX_REQUEST="true")

    if expected == OK:
        assert response.status_code in (200, 302), response.status_code
        assert shown.status_code == 200
        assert url in shown.content.decode(), "the button is shown to whom it is allowed"
        if effect is not None:
            assert effect(record), [str(m) for m in response.wsgi_request._messages]
        else:  # navigation to the payment form, aimed at the record's invoices
            target = response.get("HX-Redirect") or response.get("Location")
            assert target.startswith(reverse("admin:finance_payment_add")), target
    else:
        assert response.status_code == expected, response.status_code
        assert client.get(url).status_code == expected  # no dialog either
        assert snapshot(record) == before
        if shown.status_code == 200:
            assert url not in shown.content.decode(), "no button for a refused step"


# --- bulk and list actions ----------------------------------------------------------------
@pytest.mark.parametrize("case", cases(BULK), ids=case_id)
def test_bulk_action_by_role(client, cast, case):
    (label, name), role = case
    make, effect, outcomes = BULK[(label, name)]
    record = make(cast)
    before = snapshot(record)
    client.force_login(cast.users[role])
    response = client.post(admin_url(label, "changelist"),
                           {"action": name, "_selected_action": [record.pk]})
    if outcomes[role] == OK:
        assert response.status_code == 302
        assert effect(record)
    else:
        assert response.status_code == outcomes[role]
        assert not effect(record)
        assert snapshot(record) == before


@pytest.mark.parametrize("case", cases(LIST), ids=case_id)
def test_list_action_by_role(client, cast, case):
    (label, name), role = case
    make, effect, outcomes = LIST[(label, name)]
    record = make(cast)
    client.force_login(cast.users[role])
    response = client.post(admin_url(label, name),
                           {"_form_submitted": "on", "month": TODAY().replace(day=1).isoformat()},
                           HTTP_HX_REQUEST="true")
    if outcomes[role] == OK:
        assert response.status_code == 200 and response.get("HX-Redirect")
        assert effect(record)
    else:
        assert response.status_code == outcomes[role]
        assert not effect(record)


# --- nobody gains by their own step ---------------------------------------------------------
OWN = [(role, step) for role in (ADMINISTRATOR, SALES_MANAGER, ACCOUNTANT, "superuser")
       for step in ("approve", "pay") if (role, step) != (SALES_MANAGER, "pay")]


@pytest.mark.parametrize("role,step", OWN, ids=[f"{role}-{step}" for role, step in OWN])
def test_nobody_approves_or_pays_their_own_commission(client, cast, role, step):
    """Even a role that may approve or pay commissions (and a superuser) may not on their
    own: the page hides the button, a request is refused, the service refuses."""
    if role == "superuser":
        me = UserFactory(username="root", is_superuser=True)
    else:
        me = cast.users[role]
    if not hasattr(me, "agent_profile"):
        AgentFactory(user=me, branch=cast.agent.agent_profile.branch)
    own = commission(cast, approved=step == "pay", agent=me)
    before = snapshot(own)
    client.force_login(me)
    page = client.get(admin_url("sales.Commission", "change", own.pk))
    assert page.status_code == 200
    url = admin_url("sales.Commission", step, own.pk)
    assert url not in page.content.decode()
    response = client.post(url, {"_form_submitted": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert b"benefits you" in response.content or b"403 Forbidden" in response.content  # TODO page
    response = client.post(admin_url("sales.Commission", "changelist"),
                           {"action": f"{step}_selected", "_selected_action": [own.pk]},
                           follow=True)
    assert any("benefits you" in str(m) for m in response.context["messages"])
    assert snapshot(own) == before
    service = sales.commission_approve if step == "approve" else sales.commission_pay
    with pytest.raises(StepRefused):
        service(commission=own, by=me)
    assert snapshot(own) == before


def test_a_sales_manager_approves_the_commissions_of_their_branch_only(cast):
    other_branch_agent = UserFactory(username="elsewhere", roles=[SALES_AGENT])
    AgentFactory(user=other_branch_agent, branch=BranchFactory(code="marina"))
    theirs = commission(cast, agent=other_branch_agent)
    with pytest.raises(StepRefused) as refused:
        sales.commission_approve(commission=theirs, by=cast.users[SALES_MANAGER])
    assert refused.value.out_of_scope
    mine = commission(cast)
    approved = sales.commission_approve(commission=mine, by=cast.users[SALES_MANAGER])
    assert approved.status == "approved"


# --- every way in holds the rule: the services themselves ------------------------------------
MONEY_STEPS = [
    ("approve commission", lambda c, by: sales.commission_approve(commission=commission(c),
                                                                   by=by)),
    ("pay commission", lambda c, by: sales.commission_pay(
        commission=commission(c, approved=True), by=by)),
    ("reverse payment", lambda c, by: finance.payment_reverse(payment=payment(c), reason="x",
                                                              by=by)),
    ("void receivable", lambda c, by: finance.receivable_void(receivable=receivable(c),
                                                              reason="x", by=by)),
    ("return deposit", lambda c, by: leasing.deposit_record(
        lease=lease(c, deposit=True), movement="returned", amount=Decimal("100"), by=by)),
    ("owner statement", lambda c, by: finance.owner_statement_generate(
        owner=unit(c, owner=c.client).owner, month=TODAY(), by=by)),
]


@pytest.mark.parametrize("name,run", MONEY_STEPS, ids=[name for name, _run in MONEY_STEPS])
@pytest.mark.parametrize("role", [SALES_AGENT, LEASING_MANAGER, AUDITOR])
def test_money_steps_refuse_roles_without_the_permission(cast, name, run, role):
    """The same rule in the service: whatever calls it (the API, an import) is refused."""
    counts = (Payment.objects.count(), Receivable.objects.filter(status="void").count(),
              OwnerStatement.objects.count())
    with pytest.raises(PermissionDenied):
        run(cast, cast.users[role])
    if name != "pay commission":
        assert (Payment.objects.filter(status="reversed").count(),) == (0,)
    assert Receivable.objects.filter(status="void").count() == counts[1]
    assert OwnerStatement.objects.count() == counts[2]


@pytest.mark.parametrize("name,run", MONEY_STEPS, ids=[name for name, _run in MONEY_STEPS])
def test_money_steps_run_for_the_accountant(cast, name, run):
    assert run(cast, cast.users[ACCOUNTANT]) is not None


# --- the trace every step leaves -------------------------------------------------------------
def test_steps_are_logged_with_who_and_what(client, cast):
    manager = cast.users[SALES_MANAGER]
    draft = contract(cast)
    client.force_login(manager)
    client.post(admin_url("sales.SaleContract", "sign", draft.pk),
                {"_form_submitted": "on", "signing_date": ""}, HTTP_HX_REQUEST="true")
    entry = LogEntry.objects.get(object_id=str(draft.pk),
                                 content_type__model="salecontract")
    assert entry.user == manager
    assert entry.get_change_message() == "Sign contract; status Draft → Signed"
    # The history rows the step wrote carry its name, and the plan field reads plainly.
    latest = draft.history.order_by("-history_date").first()
    assert latest.history_change_reason == "Sign contract"
    assert latest.history_user == manager
    unit_row = draft.unit.history.order_by("-history_date").first()
    assert unit_row.history_change_reason == "Sign contract"
    page = client.get(admin_url("sales.SaleContract", "history", draft.pk))
    html = page.content.decode()
    assert "pk=None" not in html and ">None<" not in html.replace(" ", "")
