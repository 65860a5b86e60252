"""Typing a client's name into the admin's search box finds the client, in a real browser:
the sidebar's box opens unfold's command search, which lists the record and links to it."""

import pytest
from django.urls import reverse


@pytest.mark.django_db(transaction=True)
def test_typing_a_clients_name_finds_the_client(page, live_server, log_in):
    from django.core.cache import cache

    from tests.factories import ClientFactory, SuperUserFactory

    cache.clear()
    SuperUserFactory(username="boss")
    client = ClientFactory(name="Layla Nasser", phone="+971 50 111 2233")
    ClientFactory(name="Daniel Reyes")

    log_in("boss", reverse("admin:index"))
    page.get_by_text("Search clients, units, numbers…").click()
    box = page.locator("#search-input-command")
    box.wait_for(state="visible")
    box.press_sequentially("layla", delay=60)

    result = page.locator("#command-results a", has_text="Layla Nasser")
    result.wait_for()
    assert page.locator("#command-results a", has_text="Daniel Reyes").count() == 0
    assert result.get_attribute("href") == reverse("admin:clients_client_change", args=[client.pk])
    result.click()
    page.wait_for_url(f"**{reverse('admin:clients_client_change', args=[client.pk])}")
    assert page.blocked_requests == [], "the page tried to reach beyond the test server"
