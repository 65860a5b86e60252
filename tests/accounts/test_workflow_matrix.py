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

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_q.models import OrmQ

from realestate.core.admin import StepActionsMixin
from realestate.core.workflow import STEPS
from realestate.finance.models import OwnerStatement
from realestate.leasing.models import Lease
from realestate.properties import services as properties
from realestate.sales.models import SaleContract
from tests.accounts.cast import (
    OK,
    TODAY,
    admin_of,
    admin_url,
    case_id,
    cases,
    commission,
    contract,
    fresh,
    lease,
    payment,
    receivable,
    reservation,
    row,
    signed,
    snapshot,
    statement,
    unit,
)
from tests.factories import (
    DeliveryFactory,
    FailureFactory,
    LeadFactory,
    SuccessFactory,
    UserFactory,
    ViewingFactory,
)

pytestmark = pytest.mark.django_db


#: A signed copy's scan (the upload page of "Upload signed copy" takes a file, not a dialog).
SIGNED_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# --- detail actions: (admin, action) -> (make, dialog data, effect, outcomes) ---------------
DETAIL = {
    ("properties.Unit", "take_off_market"): (
        unit,
        {},
        lambda u: fresh(u).status == "off_market",
        row(OK, OK, OK, OK, 403, 403),
    ),
    ("properties.Unit", "return_to_market"): (
        lambda c: properties.unit_take_off_market(unit=unit(c)),
        {},
        lambda u: fresh(u).status == "available",
        row(OK, OK, OK, OK, 403, 403),
    ),
    ("clients.Lead", "advance"): (
        lambda c: LeadFactory(client=c.client),
        {},
        lambda lead: fresh(lead).status == "contacted",
        row(OK, OK, OK, 404, 404, 403),
    ),
    ("clients.Viewing", "mark_done"): (
        lambda c: ViewingFactory(client=c.client, unit=unit(c)),
        {"feedback": "Liked it"},
        lambda v: fresh(v).status == "done",
        row(OK, OK, OK, 404, 404, 403),
    ),
    ("clients.Viewing", "mark_no_show"): (
        lambda c: ViewingFactory(client=c.client, unit=unit(c)),
        {},
        lambda v: fresh(v).status == "no_show",
        row(OK, OK, OK, 404, 404, 403),
    ),
    ("clients.Viewing", "mark_cancelled"): (
        lambda c: ViewingFactory(client=c.client, unit=unit(c)),
        {},
        lambda v: fresh(v).status == "cancelled",
        row(OK, OK, OK, 404, 404, 403),
    ),
    ("sales.Reservation", "convert"): (
        reservation,
        {},
        lambda r: SaleContract.objects.filter(reservation=r).exists(),
        row(OK, OK, OK, 404, 403, 403),
    ),
    ("sales.Reservation", "cancel"): (
        reservation,
        {"reason": "Client withdrew"},
        lambda r: fresh(r).status == "cancelled",
        row(OK, OK, OK, 404, 403, 403),
    ),
    ("sales.SaleContract", "sign"): (
        contract,
        {"signing_date": ""},
        lambda k: fresh(k).status == "signed",
        row(OK, OK, OK, 404, 403, 403),
    ),
    ("sales.SaleContract", "cancel"): (
        contract,
        {"reason": "Buyer withdrew"},
        lambda k: fresh(k).status == "cancelled",
        row(OK, OK, OK, 404, 403, 403),
    ),
    ("sales.SaleContract", "record_payment"): (signed, {}, None, row(OK, 403, 403, 404, OK, 403)),
    ("sales.SaleContract", "upload_signed_copy"): (
        signed,
        {"file": lambda: SimpleUploadedFile("signed.pdf", SIGNED_PDF)},
        lambda k: fresh(k).signed_document_id is not None,
        row(OK, OK, OK, 404, 403, 403),
    ),
    ("sales.Commission", "approve"): (
        commission,
        {},
        lambda k: fresh(k).status == "approved",
        row(OK, OK, 403, 404, OK, 403),
    ),
    ("sales.Commission", "pay"): (
        lambda c: commission(c, approved=True),
        {},
        lambda k: fresh(k).status == "paid",
        row(OK, 403, 403, 404, OK, 403),
    ),
    ("leasing.Lease", "activate"): (
        lambda c: lease(c, active=False),
        {},
        lambda x: fresh(x).status == "active",
        row(OK, 404, OK, OK, 403, 403),
    ),
    ("leasing.Lease", "renew"): (
        lease,
        {"start_date": "", "end_date": "", "monthly_rent": ""},
        lambda x: Lease.objects.filter(renewed_from=x).exists(),
        row(OK, 404, OK, OK, 403, 403),
    ),
    ("leasing.Lease", "end"): (
        lease,
        {"on": "{today}"},
        lambda x: fresh(x).status == "ended",
        row(OK, 404, OK, OK, 403, 403),
    ),
    ("leasing.Lease", "terminate"): (
        lease,
        {"reason": "Tenant left", "on": "{today}"},
        lambda x: fresh(x).status == "terminated",
        row(OK, 404, OK, OK, 403, 403),
    ),
    ("leasing.Lease", "receive_deposit"): (
        lease,
        {"amount": "8000", "on": "{today}", "note": ""},
        lambda x: x.deposit_movements.filter(movement="received").exists(),
        row(OK, 404, OK, OK, 403, 403),
    ),
    ("leasing.Lease", "release_deposit"): (
        lambda c: lease(c, deposit=True),
        {"movement": "returned", "amount": "8000", "on": "{today}", "note": ""},
        lambda x: x.deposit_movements.filter(movement="returned").exists(),
        row(OK, 404, 403, 403, OK, 403),
    ),
    ("leasing.Lease", "record_payment"): (lease, {}, None, row(OK, 404, 403, 403, OK, 403)),
    ("leasing.Lease", "upload_signed_copy"): (
        lease,
        {"file": lambda: SimpleUploadedFile("signed.pdf", SIGNED_PDF)},
        lambda x: fresh(x).signed_document_id is not None,
        row(OK, 404, OK, OK, 403, 403),
    ),
    ("finance.Payment", "reverse_payment"): (
        payment,
        {"reason": "Cheque bounced"},
        lambda p: fresh(p).status == "reversed",
        row(OK, 403, 404, 404, OK, 403),
    ),
    ("finance.Receivable", "void"): (
        receivable,
        {"reason": "Waived"},
        lambda r: fresh(r).status == "void",
        row(OK, 403, 403, 403, OK, 403),
    ),
    ("finance.Receivable", "record_payment"): (
        receivable,
        {},
        None,
        row(OK, 403, 403, 403, OK, 403),
    ),
    ("finance.OwnerStatement", "regenerate"): (
        statement,
        {},
        lambda s: LogEntry.objects.filter(
            object_id=str(s.pk), change_message__startswith="Generate"
        ).exists(),
        row(OK, 404, 404, 404, OK, 403),
    ),
}

BULK = {
    ("properties.Unit", "take_off_market_selected"): (
        unit,
        lambda u: fresh(u).status == "off_market",
        row(OK, OK, OK, OK, 403, 403),
    ),
    ("properties.Unit", "return_to_market_selected"): (
        lambda c: properties.unit_take_off_market(unit=unit(c)),
        lambda u: fresh(u).status == "available",
        row(OK, OK, OK, OK, 403, 403),
    ),
    ("clients.Viewing", "mark_done_selected"): (
        lambda c: ViewingFactory(client=c.client, unit=unit(c)),
        lambda v: fresh(v).status == "done",
        row(OK, OK, OK, 403, 403, 403),
    ),
    ("clients.Viewing", "mark_no_show_selected"): (
        lambda c: ViewingFactory(client=c.client, unit=unit(c)),
        lambda v: fresh(v).status == "no_show",
        row(OK, OK, OK, 403, 403, 403),
    ),
    ("clients.Viewing", "mark_cancelled_selected"): (
        lambda c: ViewingFactory(client=c.client, unit=unit(c)),
        lambda v: fresh(v).status == "cancelled",
        row(OK, OK, OK, 403, 403, 403),
    ),
    ("sales.Commission", "approve_selected"): (
        commission,
        lambda k: fresh(k).status == "approved",
        row(OK, OK, 403, 403, OK, 403),
    ),
    ("sales.Commission", "pay_selected"): (
        lambda c: commission(c, approved=True),
        lambda k: fresh(k).status == "paid",
        row(OK, 403, 403, 403, OK, 403),
    ),
    ("finance.OwnerStatement", "regenerate_selected"): (
        statement,
        lambda s: LogEntry.objects.filter(
            object_id=str(s.pk), change_message__startswith="Generate"
        ).exists(),
        row(OK, 403, 403, 403, OK, 403),
    ),
    # Staff who watch the delivery log send a failed message again; agents, accountants and
    # auditors do not (the log holds everyone's addresses).
    ("notifications.Delivery", "send_again"): (
        lambda c: DeliveryFactory(status="failed", attempts=5, error="provider down"),
        lambda d: fresh(d).status == "queued",
        row(OK, OK, 403, OK, 403, 403),
    ),
    ("django_q.Success", "resubmit_task"): (
        lambda c: SuccessFactory(),
        lambda task: OrmQ.objects.exists(),
        row(OK, 403, 403, 403, 403, 403),
    ),
    ("django_q.Failure", "resubmit_task"): (
        lambda c: FailureFactory(),
        lambda task: OrmQ.objects.exists(),
        row(OK, 403, 403, 403, 403, 403),
    ),
    ("accounts.User", "reset_two_factor"): (
        lambda c: (
            TOTPDevice.objects.create(
                user=UserFactory(username="has-2fa"), name="App", confirmed=True
            ).user
        ),
        lambda u: not TOTPDevice.objects.filter(user=u).exists(),
        row(OK, 403, 403, 403, 403, 403),
    ),
}

LIST = {
    ("finance.OwnerStatement", "generate"): (
        lambda c: unit(c, owner=c.client),
        lambda u: OwnerStatement.objects.filter(owner=u.owner).exists(),
        row(OK, 403, 403, 403, OK, 403),
    ),
}

#: Kinds of documents generated from a record's page and its list (documents.actions).
GENERATED = ("sale_contract", "reservation_form", "lease_agreement", "invoice", "receipt")
GENERATED += ("statement", "owner_statement", "fact_sheet")

#: Actions that change nothing: PDFs, the access page, exports. Everything else is a step.
#: Generating a document changes no record: it files a PDF of it, for whoever may see it.
READING = {
    *(f"generate_{kind}" for kind in GENERATED),
    *(f"generate_{kind}_selected" for kind in GENERATED),
    "fact_sheet",
    "receipt_pdf",
    "object_access",
    "export_admin_action",
    "delete_selected",
}  # deleting: the permission matrix covers it


# --- the completeness check ---------------------------------------------------------------
def test_every_admin_action_has_a_rule():
    """Every action of every admin is a workflow step with a row in these tables, or one of
    the few that change nothing."""
    covered = {key for table in (DETAIL, BULK, LIST) for key in table}
    unruled = []
    for model, model_admin in admin.site._registry.items():
        names = set(
            model_admin._extract_action_names(getattr(model_admin, "actions_detail", None) or [])
        )
        names |= set(
            model_admin._extract_action_names(getattr(model_admin, "actions_list", None) or [])
        )
        names |= {name for _func, name, _desc in model_admin._get_base_actions()}
        for name in names - READING:
            if (model._meta.label, name) not in covered:
                unruled.append(f"{model._meta.label}.{name}")
    assert unruled == [], f"actions without a rule in the workflow matrix: {unruled}"
    for label, name in DETAIL:
        model_admin = admin_of(label)
        if name == "upload_signed_copy":  # a page with a file, run by its own step
            assert model_admin.signed_copy_step in STEPS
        elif name != "record_payment":
            assert isinstance(model_admin, StepActionsMixin) and name in model_admin.steps


def test_every_step_service_states_its_rule():
    assert len(STEPS) >= 25
    for name, service in STEPS.items():
        assert service.rule.label, name


# --- detail actions -----------------------------------------------------------------------
@pytest.mark.parametrize("case", cases(DETAIL), ids=case_id)
def test_detail_action_by_role(client, cast, case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # a signed copy's file goes there
    (label, name), role = case
    make, data, effect, outcomes = DETAIL[(label, name)]
    record = make(cast)
    before = snapshot(record)
    client.force_login(cast.users[role])
    url = admin_url(label, name, record.pk)
    data = {
        key: value() if callable(value) else value.format(today=TODAY().isoformat())
        for key, value in data.items()
    }
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
    response = client.post(
        admin_url(label, "changelist"), {"action": name, "_selected_action": [record.pk]}
    )
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
    response = client.post(
        admin_url(label, name),
        {"_form_submitted": "on", "month": TODAY().replace(day=1).isoformat()},
        HTTP_HX_REQUEST="true",
    )
    if outcomes[role] == OK:
        assert response.status_code == 200 and response.get("HX-Redirect")
        assert effect(record)
    else:
        assert response.status_code == outcomes[role]
        assert not effect(record)
