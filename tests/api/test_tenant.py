"""A tenant's endpoints: leases, invoices, balance, payments and maintenance requests."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from realestate.leasing.models import MaintenanceComment, MaintenanceRequest
from tests.factories import DepositTransactionFactory, ReceivableFactory, RentChargeFactory

pytestmark = pytest.mark.django_db


def photo(name="tap.jpg", fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def ok(response, code=200):
    assert response.status_code == code, response.content
    return response.json()


def test_leases_current_and_past_with_deposit_held_and_schedule(jwt_client, first, second):
    DepositTransactionFactory(lease=first.lease, amount=Decimal("9000.00"))
    DepositTransactionFactory(lease=first.lease, movement="kept_repairs", amount=Decimal("500.00"))
    charge = RentChargeFactory(lease=first.lease, amount=Decimal("9000.00"))
    first.invoices[1].rent_charge = charge
    first.invoices[1].save()

    body = ok(jwt_client(first.tenant.user).get("/api/v1/tenant/leases/"))

    assert [lease["number"] for lease in body["results"]] == [
        first.lease.number,
        first.past_lease.number,
    ]
    current = body["results"][0]
    assert current["unit"]["code"] == "LET-1"
    assert current["monthly_rent"] == "9000.00" and current["status"] == "active"
    assert current["deposit_held"] == "8500.00"
    assert current["rent_schedule"] == [
        {
            "period_start": str(charge.period_start),
            "period_end": str(charge.period_end),
            "due_date": str(charge.due_date),
            "amount": "9000.00",
            "currency": "AED",
            "invoice": first.invoices[1].number,
            "invoice_status": "open",
        }
    ]


def test_lease_filters_by_status(jwt_client, first):
    body = ok(jwt_client(first.tenant.user).get("/api/v1/tenant/leases/", {"status": "ended"}))

    assert [lease["id"] for lease in body["results"]] == [first.past_lease.pk]


def test_invoices_with_status_due_amount_paid_and_balance(jwt_client, first, second):
    body = ok(jwt_client(first.tenant.user).get("/api/v1/tenant/invoices/"))

    rows = {row["number"]: row for row in body["results"]}
    assert set(rows) == {invoice.number for invoice in first.invoices}
    paid = rows[first.invoices[0].number]
    assert (paid["status"], paid["amount"], paid["paid"], paid["balance"]) == (
        "partially_paid",
        "9000.00",
        "5000.00",
        "4000.00",
    )
    assert paid["unit"] == "LET-1" and paid["lease"] == first.lease.pk


def test_the_invoice_list_reads_no_more_for_more_invoices(jwt_client, first):
    """The list reads only the columns its answer takes (``only()``): a column left out
    would be read with a query per invoice."""
    api = jwt_client(first.tenant.user)
    ok(api.get("/api/v1/tenant/invoices/"))  # warm: the caller's access, remembered
    with CaptureQueriesContext(connection) as few:
        ok(api.get("/api/v1/tenant/invoices/"))
    for _ in range(5):
        ReceivableFactory(client=first.tenant.client, unit=first.lease.unit, lease=first.lease)
    with CaptureQueriesContext(connection) as more:
        body = ok(api.get("/api/v1/tenant/invoices/"))
    assert body["count"] == len(first.invoices) + 5
    assert len(more) == len(few), [query["sql"][:300] for query in more.captured_queries]


def test_invoice_filters_ordering_and_updated_since(jwt_client, first):
    api = jwt_client(first.tenant.user)

    assert ok(api.get("/api/v1/tenant/invoices/", {"status": "open"}))["count"] == 1
    ordered = ok(api.get("/api/v1/tenant/invoices/", {"ordering": "due_date"}))["results"]
    assert [row["number"] for row in ordered] == [
        first.invoices[0].number,
        first.invoices[1].number,
    ]
    later = ok(api.get("/api/v1/tenant/invoices/", {"updated_since": "2999-01-01T00:00:00Z"}))
    assert later["count"] == 0
    refused = api.get("/api/v1/tenant/invoices/", {"updated_since": "yesterday"})
    assert refused.status_code == 400
    assert set(refused.json()) == {"code", "detail", "fields"}
    assert "updated_since" in refused.json()["fields"]


def test_balance_and_ageing(jwt_client, first, second):
    body = ok(jwt_client(first.tenant.user).get("/api/v1/tenant/balance/"))

    assert body["due"] == "13000.00"  # 4,000 left on the first, 9,000 on the second
    assert body["overdue"] == "4000.00"
    assert body["ageing"]["31_60"] == "4000.00" and body["ageing"]["current"] == "9000.00"
    assert body["currency"] == "AED"


def test_payments_with_their_allocations(jwt_client, first, second):
    body = ok(jwt_client(first.tenant.user).get("/api/v1/tenant/payments/"))

    assert [p["number"] for p in body["results"]] == [first.payment.number]
    assert body["results"][0]["allocations"] == [
        {
            "invoice_id": first.invoices[0].pk,
            "invoice": first.invoices[0].number,
            "amount": "5000.00",
        }
    ]


def test_a_tenant_reports_a_problem_with_photos(jwt_client, first, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api = jwt_client(first.tenant.user)

    response = api.post(
        "/api/v1/tenant/maintenance/",
        {
            "unit": first.unit.pk,
            "category": "hvac",
            "priority": "high",
            "description": "The AC blows warm air.",
            "permission_to_enter": "true",
            "photos": [photo("one.jpg"), photo("two.png", "PNG")],
        },
        format="multipart",
    )

    body = ok(response, 201)
    request = MaintenanceRequest.objects.get(pk=body["id"])
    assert request.lease == first.lease and request.reported_by_client == first.tenant.client
    assert request.permission_to_enter and request.title == "Air conditioning"
    assert request.photos.count() == 2 and len(body["photos"]) == 2
    assert body["status"] == "open"
    # The photo is served to its tenant through their token.
    assert api.get(body["photos"][0]["url"]).status_code == 200


def test_a_tenant_cannot_report_on_a_unit_they_do_not_rent(jwt_client, first, second):
    api = jwt_client(first.tenant.user)
    data = {"category": "plumbing", "description": "Leak"}

    for unit in (second.unit, first.past_lease.unit):
        response = api.post("/api/v1/tenant/maintenance/", {**data, "unit": unit.pk}, format="json")
        assert response.status_code == 400
        assert response.json()["fields"] == {"unit": ["Not a unit you rent now."]}
    assert MaintenanceRequest.objects.count() == 2


def test_a_bad_photo_is_named_and_nothing_is_created(jwt_client, first, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    notes = SimpleUploadedFile("notes.pdf", b"%PDF-1.4", content_type="application/pdf")

    response = jwt_client(first.tenant.user).post(
        "/api/v1/tenant/maintenance/",
        {
            "unit": first.unit.pk,
            "category": "plumbing",
            "description": "Leak",
            "photos": [photo(), notes],
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert "notes.pdf" in response.json()["fields"]["photos.1"][0]
    assert MaintenanceRequest.objects.count() == 1


def test_comments_make_one_thread_with_staff(jwt_client, first, superuser):
    api = jwt_client(first.tenant.user)
    url = f"/api/v1/tenant/maintenance/{first.request.pk}/comments/"

    mine = ok(api.post(url, {"body": "Tuesday morning suits me."}, format="json"), 201)
    MaintenanceComment.objects.create(request=first.request, author=superuser, body="Noted.")

    thread = ok(api.get(f"/api/v1/tenant/maintenance/{first.request.pk}/"))["comments"]
    assert [(c["body"], c["mine"]) for c in thread] == [
        ("Tuesday morning suits me.", True),
        ("Noted.", False),
    ]
    assert mine["mine"] is True
    assert api.post(url, {"body": ""}, format="json").json()["fields"] == {
        "body": ["This field may not be blank."]
    }


def test_staff_see_the_thread_in_the_admin(admin_client, first):
    MaintenanceComment.objects.create(
        request=first.request, author=first.tenant.user, body="Dripping"
    )

    page = admin_client.get(f"/admin/leasing/maintenancerequest/{first.request.pk}/change/")

    assert page.status_code == 200
    assert "Dripping" in page.content.decode()


def test_staff_and_agents_are_refused_the_tenant_endpoints(jwt_client, agent1, superuser, first):
    for user in (agent1, superuser):
        response = jwt_client(user).get("/api/v1/tenant/invoices/")
        assert response.status_code == 403
        assert response.json()["code"] == "not_a_client"


def test_an_invoice_of_a_sale_is_theirs_too(jwt_client, first):
    ReceivableFactory(client=first.tenant.client, kind="instalment", description="Instalment 1")

    assert ok(jwt_client(first.tenant.user).get("/api/v1/tenant/invoices/"))["count"] == 3


@pytest.mark.parametrize(
    "moment",
    ["2000-01-01T00:00:00+20:41", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"],
)
def test_updated_since_takes_any_offset_iso_8601_allows(jwt_client, first, moment):
    response = jwt_client(first.tenant.user).get(
        "/api/v1/tenant/invoices/", {"updated_since": moment}
    )

    assert response.status_code == 200
    assert response.json()["count"] == (0 if moment.startswith("9999") else 2)
