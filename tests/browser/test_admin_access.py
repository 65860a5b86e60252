"""An administrator grants one unit to an agent from the unit's page, in a real browser, and
the agent then finds it in their list: the "Access" button, guardian's page and its
two-list permission picker (which needs JavaScript) all work together."""

import pytest
from django.urls import reverse


@pytest.mark.django_db(transaction=True)
def test_administrator_grants_a_unit_and_the_agent_sees_it(page, live_server, log_in, tmp_path):
    from realestate.accounts.roles import SALES_AGENT, roles_sync
    from realestate.properties.models import Unit
    from tests.factories import SuperUserFactory, UnitFactory, UserFactory

    roles_sync()
    SuperUserFactory(username="boss")
    agent = UserFactory(username="helper", roles=[SALES_AGENT])
    unit = UnitFactory(code="HAND-1")
    UnitFactory(code="NOT-GIVEN")
    change_url = reverse("admin:properties_unit_change", args=[unit.pk])

    log_in("boss", change_url)
    page.get_by_role("link", name="Access").click()
    page.fill("input[name=user]", "helper")
    page.get_by_role("button", name="Manage user").click()
    page.dblclick("#id_permissions_from option[value=view_unit]")
    page.dblclick("#id_permissions_from option[value=change_unit]")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Permissions saved.").wait_for()
    page.screenshot(path=str(tmp_path / "grant.png"), full_page=True)

    assert set(Unit.objects.restrict(agent, "change")) == {unit}

    changelist = reverse("admin:properties_unit_changelist")
    log_in("helper", changelist)
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "HAND-1" in rows.first.inner_text()
    assert page.blocked_requests == [], "the page tried to reach beyond the test server"
