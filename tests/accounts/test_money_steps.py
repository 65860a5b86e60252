"""Money steps: nobody gains by their own step, the services refuse whoever lacks the
permission (every way in holds the rule), and every step leaves a trace."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied

from realestate.accounts.roles import (
    ACCOUNTANT,
    ADMINISTRATOR,
    AUDITOR,
    LEASING_MANAGER,
    SALES_AGENT,
    SALES_MANAGER,
)
from realestate.core.workflow import StepRefused
from realestate.finance import services as finance
from realestate.finance.models import OwnerStatement, Payment, Receivable
from realestate.leasing import services as leasing
from realestate.sales import services as sales
from tests.accounts.cast import (
    TODAY,
    admin_url,
    commission,
    contract,
    lease,
    payment,
    receivable,
    snapshot,
    unit,
)
from tests.factories import (
    AgentFactory,
    BranchFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- nobody gains by their own step ---------------------------------------------------------
OWN = [
    (role, step)
    for role in (ADMINISTRATOR, SALES_MANAGER, ACCOUNTANT, "superuser")
    for step in ("approve", "pay")
    if (role, step) != (SALES_MANAGER, "pay")
]


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
    response = client.post(
        admin_url("sales.Commission", "changelist"),
        {"action": f"{step}_selected", "_selected_action": [own.pk]},
        follow=True,
    )
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
    ("approve commission", lambda c, by: sales.commission_approve(commission=commission(c), by=by)),
    (
        "pay commission",
        lambda c, by: sales.commission_pay(commission=commission(c, approved=True), by=by),
    ),
    (
        "reverse payment",
        lambda c, by: finance.payment_reverse(payment=payment(c), reason="x", by=by),
    ),
    (
        "void receivable",
        lambda c, by: finance.receivable_void(receivable=receivable(c), reason="x", by=by),
    ),
    (
        "return deposit",
        lambda c, by: leasing.deposit_record(
            lease=lease(c, deposit=True), movement="returned", amount=Decimal("100"), by=by
        ),
    ),
    (
        "owner statement",
        lambda c, by: finance.owner_statement_generate(
            owner=unit(c, owner=c.client).owner, month=TODAY(), by=by
        ),
    ),
]


@pytest.mark.parametrize("name,run", MONEY_STEPS, ids=[name for name, _run in MONEY_STEPS])
@pytest.mark.parametrize("role", [SALES_AGENT, LEASING_MANAGER, AUDITOR])
def test_money_steps_refuse_roles_without_the_permission(cast, name, run, role):
    """The same rule in the service: whatever calls it (the API, an import) is refused."""
    counts = (
        Payment.objects.count(),
        Receivable.objects.filter(status="void").count(),
        OwnerStatement.objects.count(),
    )
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
    client.post(
        admin_url("sales.SaleContract", "sign", draft.pk),
        {"_form_submitted": "on", "signing_date": ""},
        HTTP_HX_REQUEST="true",
    )
    entry = LogEntry.objects.get(object_id=str(draft.pk), content_type__model="salecontract")
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


def test_history_shows_the_status_a_step_moved(client, cast):
    """A status is not editable in a form, but its moves are what the history is for."""
    draft = contract(cast)
    client.force_login(cast.users[SALES_MANAGER])
    client.post(
        admin_url("sales.SaleContract", "sign", draft.pk),
        {"_form_submitted": "on", "signing_date": ""},
        HTTP_HX_REQUEST="true",
    )
    html = client.get(admin_url("sales.SaleContract", "history", draft.pk)).content.decode()
    assert "Status:" in html and "Draft" in html and "Signed" in html
