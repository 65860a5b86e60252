"""The leasing admin clicked through as staff would: every step goes through the services."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from realestate.finance.models import Expense
from realestate.leasing.models import Lease, MaintenanceRequest, RentCharge
from tests.admin_steps import dialog
from tests.factories import (
    ClientFactory,
    UnitFactory,
    VendorFactory,
)


def test_leasing_flow(c):
    unit = UnitFactory(
        purpose="rent", list_price=None, monthly_rent=Decimal("8000"), status="available"
    )
    tenant = ClientFactory()
    start = timezone.localdate().replace(day=1)
    end = start.replace(year=start.year + 1) - timedelta(days=1)
    data = {
        "unit": unit.pk,
        "tenant": tenant.pk,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "term_type": "fixed",
        "monthly_rent": "8000",
        "billing_frequency": "monthly",
        "billing_day": "1",
        "deposit_amount": "8000",
        "escalation_percent": "5",
        "notes": "",
    }
    r = c.post(reverse("admin:leasing_lease_add"), data)
    assert r.status_code == 302, r.context["adminform"].form.errors
    lease = Lease.objects.get()
    assert lease.status == "draft"
    # overlapping second lease refused on the form
    r = c.post(reverse("admin:leasing_lease_add"), data)
    assert r.status_code == 200 and Lease.objects.count() == 1
    assert "already let" in str(r.context["adminform"].form.errors)
    r = dialog(c, reverse("admin:leasing_lease_activate", args=[lease.pk]))
    lease.refresh_from_db()
    assert lease.status == "active"
    assert RentCharge.objects.filter(lease=lease).count() == 12
    # invoice the first month, then change the rent: only unbilled periods change
    from realestate.leasing.services import rent_invoices_issue

    rent_invoices_issue(month=start)
    change = reverse("admin:leasing_lease_change", args=[lease.pk])
    r = c.get(change)
    assert r.status_code == 200
    data2 = dict(data)
    data2.pop("unit")
    data2.pop("tenant")
    data2.pop("deposit_amount")
    data2["monthly_rent"] = "9000"
    for prefix in ("rent_charges", "deposit_movements"):
        data2.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    r = c.post(change, data2)
    assert r.status_code == 302, r.context["adminform"].form.errors
    amounts = list(
        RentCharge.objects.filter(lease=lease)
        .order_by("period_start")
        .values_list("amount", flat=True)
    )
    assert amounts[0] == Decimal("8000.00") and amounts[1] == Decimal("9000.00"), amounts
    # deposit movement
    r = dialog(
        c,
        reverse("admin:leasing_lease_receive_deposit", args=[lease.pk]),
        amount="8000",
        on=start.isoformat(),
        note="",
    )
    assert lease.deposit_movements.count() == 1
    r = dialog(
        c,
        reverse("admin:leasing_lease_release_deposit", args=[lease.pk]),
        movement="returned",
        amount="9000",
        on=start.isoformat(),
        note="",
    )
    assert lease.deposit_movements.count() == 1
    # renew
    r = dialog(c, reverse("admin:leasing_lease_renew", args=[lease.pk]))
    renewal = Lease.objects.get(renewed_from=lease)
    assert r["HX-Redirect"].endswith(f"/{renewal.pk}/change/")
    # terminate needs reason
    dialog(
        c,
        reverse("admin:leasing_lease_terminate", args=[lease.pk]),
        reason="",
        on=start.isoformat(),
    )
    lease.refresh_from_db()
    assert lease.status == "active"
    dialog(
        c,
        reverse("admin:leasing_lease_terminate", args=[lease.pk]),
        reason="Tenant left",
        on=(start + timedelta(days=40)).isoformat(),
    )
    lease.refresh_from_db()
    assert lease.status == "terminated"
    assert c.get(change).status_code == 200
    assert c.post(change, data2).status_code == 403


def test_maintenance_flow(c):
    unit = UnitFactory()
    vendor = VendorFactory()
    r = c.post(
        reverse("admin:leasing_maintenancerequest_add"),
        {
            "unit": unit.pk,
            "category": "plumbing",
            "priority": "high",
            "title": "Leak",
            "description": "",
            "vendor": "",
            "reported_by_client": "",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 302, r.context["adminform"].form.errors
    job = MaintenanceRequest.objects.get()
    assert job.number.startswith("MR-")
    change = reverse("admin:leasing_maintenancerequest_change", args=[job.pk])
    base = {
        "category": "plumbing",
        "priority": "high",
        "title": "Leak",
        "description": "",
        "reported_by_client": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "comments-TOTAL_FORMS": "1",
        "comments-INITIAL_FORMS": "0",
        "comments-0-body": "A plumber comes on Tuesday.",
    }
    r = c.post(change, {**base, "vendor": vendor.pk, "move_to": "in_progress", "job_cost": ""})
    base.update({"comments-TOTAL_FORMS": "0", "comments-0-body": ""})
    assert r.status_code == 302, r.context["adminform"].form.errors
    job.refresh_from_db()
    assert job.status == "in_progress" and job.vendor == vendor
    # The admin answers the thread the tenant follows in the app, as the staff user.
    comment = job.comments.get()
    assert comment.body == "A plumber comes on Tuesday." and comment.author.is_superuser
    r = c.post(change, {**base, "vendor": vendor.pk, "move_to": "", "job_cost": "300"})
    assert r.status_code == 200
    r = c.post(change, {**base, "vendor": vendor.pk, "move_to": "completed", "job_cost": "300"})
    assert r.status_code == 302
    job.refresh_from_db()
    assert job.status == "completed" and job.cost == Decimal("300.00")
    assert Expense.objects.get().amount == Decimal("300.00")
    assert c.get(change).status_code == 200
    exp = Expense.objects.get()
    assert c.get(reverse("admin:finance_expense_change", args=[exp.pk])).status_code == 200


def _png():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buf, "PNG")
    return SimpleUploadedFile("p.png", buf.getvalue(), content_type="image/png")


def test_maintenance_add_with_photos(c, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit = UnitFactory()
    base = {
        "unit": unit.pk,
        "category": "plumbing",
        "priority": "high",
        "title": "Leak",
        "description": "",
        "vendor": "",
        "reported_by_client": "",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
    }
    # invalid inline (caption without an image): nothing written, not even the request
    r = c.post(reverse("admin:leasing_maintenancerequest_add"), {**base, "photos-0-caption": "x"})
    assert r.status_code == 200
    assert MaintenanceRequest.objects.count() == 0
    r = c.post(
        reverse("admin:leasing_maintenancerequest_add"),
        {**base, "photos-0-caption": "x", "photos-0-image": _png()},
    )
    assert r.status_code == 302, r.context and r.context["errors"]
    job = MaintenanceRequest.objects.get()
    assert job.photos.count() == 1
