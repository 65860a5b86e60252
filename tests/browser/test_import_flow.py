"""A clerk imports units in a real browser: upload, the preview of what changes, confirm;
no script blocked by the content security policy on the way."""

import pytest
from django.urls import reverse


@pytest.mark.django_db(transaction=True)
def test_upload_preview_and_confirm(watched, live_server, log_in, tmp_path):
    from realestate.properties.models import Unit
    from tests.factories import SuperUserFactory, UnitFactory

    page = watched
    SuperUserFactory(username="boss")
    UnitFactory(code="OLD-1", project=None, location=None, list_price=100)
    csv_file = tmp_path / "units.csv"
    csv_file.write_text(
        "Code,Unit type,Purpose,Area (m²),List price\n"
        "OLD-1,apartment,sale,80,150\n"
        "NEW-1,villa,sale,300,4000000\n"
        "BAD-1,castle,sale,10,1\n",
        encoding="utf-8",
    )

    log_in("boss", reverse("admin:properties_unit_import"))
    page.set_input_files("input[name=file]", str(csv_file))
    page.select_option("select[name=mode]", "valid")
    page.get_by_role("button", name="Check the file").click()
    page.locator("#job-counts").wait_for()
    page.screenshot(path="/tmp/import_preview.png", full_page=True)
    counts = page.locator("#job-counts").inner_text()
    assert "New\t1" in counts and "Changed\t1" in counts and "Invalid\t1" in counts
    assert "100.00 → 150" in page.locator("#job-changes").inner_text()
    assert "“castle” is not one of" in page.locator("#job-errors").inner_text()

    page.get_by_role("button", name="Import the 2 valid rows").click()
    page.locator("[data-count=written]").wait_for()
    page.screenshot(path="/tmp/import_done.png", full_page=True)
    assert Unit.objects.get(code="OLD-1").list_price == 150
    assert Unit.objects.filter(code="NEW-1").exists()
    assert page.violations == [] and page.console == []
    assert page.blocked_requests == []
