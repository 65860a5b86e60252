"""Every record that generates a document has its "Generate" button, which files the PDF as
a document of that record, and its bulk action on the list."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from realestate.documents.kinds import KINDS
from realestate.documents.models import Document
from tests.admin_steps import dialog
from tests.factories import (
    ClientFactory,
    LeaseFactory,
    OwnerStatementFactory,
    PaymentFactory,
    ReceivableFactory,
    ReservationFactory,
    SaleContractFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

RECORDS = {
    "sale_contract": SaleContractFactory,
    "reservation_form": ReservationFactory,
    "lease_agreement": LeaseFactory,
    "invoice": ReceivableFactory,
    "receipt": PaymentFactory,
    "statement": ClientFactory,
    "owner_statement": OwnerStatementFactory,
    "fact_sheet": UnitFactory,
}


def test_every_kind_has_a_record_to_try():
    assert set(RECORDS) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_generate_button_and_bulk_action(c, kind):
    record = RECORDS[kind]()
    opts = record._meta
    model_admin = admin.site._registry[type(record)]
    assert f"generate_{kind}" in model_admin.actions_detail
    assert f"generate_{kind}_selected" in model_admin.get_actions(c.request().wsgi_request)

    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_generate_{kind}", args=[record.pk])
    assert url in c.get(change).content.decode()  # the button on the record's page
    period = {"start": "2026-01-01", "end": "2026-11-30"} if kind == "statement" else {}
    response = dialog(c, url, **period)
    assert response["HX-Redirect"] == change
    document = Document.objects.get(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
    )
    assert document.kind == KINDS[kind].document_kind
    assert document.versions.get().content_type == "application/pdf"
