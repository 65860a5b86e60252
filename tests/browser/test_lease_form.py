"""On the lease add form, picking a unit in its autocomplete fills the empty monthly rent
with the unit's listed rent (a static script, no inline JavaScript), and a rent typed by
hand is left alone."""

from decimal import Decimal

import pytest
from django.urls import reverse


def pick_unit(page, code):
    page.click("#id_unit + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", code)
    page.locator(".select2-results__option", has_text=code).first.click()


@pytest.mark.django_db(transaction=True)
def test_picking_a_unit_fills_the_rent(page, live_server, log_in):
    from tests.factories import SuperUserFactory, UnitFactory

    SuperUserFactory(username="boss")
    UnitFactory(code="RENT-A", purpose="rent", list_price=None, monthly_rent=Decimal("9500"))
    UnitFactory(code="RENT-B", purpose="rent", list_price=None, monthly_rent=Decimal("12250.5"))

    log_in("boss", reverse("admin:leasing_lease_add"))
    rent = page.locator("#id_monthly_rent")
    assert rent.input_value() == ""

    pick_unit(page, "RENT-A")
    page.wait_for_function("document.getElementById('id_monthly_rent').value === '9500.00'")

    # Another unit replaces the rent the form filled in...
    pick_unit(page, "RENT-B")
    page.wait_for_function("document.getElementById('id_monthly_rent').value === '12250.50'")

    # ...but never one typed by hand.
    rent.fill("11000")
    pick_unit(page, "RENT-A")
    page.wait_for_timeout(500)
    assert rent.input_value() == "11000"
    assert page.blocked_requests == [], "the page tried to reach beyond the test server"
