"""The admin's search box finds records the user may see, and only those: clients by name,
phone, e-mail or document number; units by code; contracts, leases, invoices and receipts by
number. Each result links to the record's page."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import remove_perm

from realestate.backoffice.search import KINDS, PER_KIND, search_records
from realestate.core.permissions import grant
from tests.factories import (
    ClientFactory,
    LeaseFactory,
    PaymentFactory,
    ReceivableFactory,
    SaleContractFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("admin:search")


@pytest.fixture(autouse=True)
def fresh_cache():
    # unfold keeps each user's results for a term five minutes: tests must not share them.
    cache.clear()
    yield
    cache.clear()


def searched(client, user, term) -> list:
    client.force_login(user)
    response = client.get(SEARCH_URL, {"s": term, "extended": "1"})
    assert response.status_code == 200
    return list(response.context["results"]) if response.context else []


def links(results) -> set:
    return {str(result.link) for result in results}


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


# Two records of each kind matching one term: the user is granted the first only.
CASES = {
    "client by name": (
        lambda: ClientFactory(name="Zara Alpha"),
        lambda: ClientFactory(name="Zara Beta"),
        "zara",
    ),
    "client by phone": (
        lambda: ClientFactory(phone="+971 55 777 0001"),
        lambda: ClientFactory(phone="+971 55 777 0002"),
        "55 777",
    ),
    "client by e-mail": (
        lambda: ClientFactory(email="qx.one@example.com"),
        lambda: ClientFactory(email="qx.two@example.com"),
        "QX.",
    ),
    "client by document": (
        lambda: ClientFactory(id_type="passport", id_number="PX1234501"),
        lambda: ClientFactory(id_type="passport", id_number="PX1234502"),
        "px12345",
    ),
    "unit by code": (
        lambda: UnitFactory(code="MARINA-101"),
        lambda: UnitFactory(code="MARINA-102"),
        "marina-1",
    ),
    "sale contract": (
        lambda: SaleContractFactory(number="SC-2026-00017"),
        lambda: SaleContractFactory(number="SC-2026-00018"),
        "sc-2026-0001",
    ),
    "lease": (
        lambda: LeaseFactory(number="LS-2026-00101"),
        lambda: LeaseFactory(number="LS-2026-00102"),
        "ls-2026-001",
    ),
    "invoice": (
        lambda: ReceivableFactory(number="INV-2026-00501"),
        lambda: ReceivableFactory(number="INV-2026-00502"),
        "inv-2026-005",
    ),
    "receipt": (
        lambda: PaymentFactory(number="RC-2026-00901"),
        lambda: PaymentFactory(number="RC-2026-00902"),
        "rc-2026-009",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_user_finds_their_record_and_never_anothers(client, superuser, roles, case):
    make_mine, make_theirs, term = CASES[case]
    mine, theirs = make_mine(), make_theirs()
    user = UserFactory(username="granted-one")  # no role: only what is granted by object
    grant(mine, user, actions=("view",))

    found = links(searched(client, user, term))

    assert change_url(mine) in found
    assert change_url(theirs) not in found
    # Both match: an administrator finds both.
    assert {change_url(mine), change_url(theirs)} <= links(searched(client, superuser, term))


def test_a_result_says_what_it_is(admin_client, superuser):
    unit = UnitFactory(code="PALM-7")
    contract = SaleContractFactory(
        number="SC-2026-00042", unit=unit, buyer=ClientFactory(name="Omar Haddad")
    )

    [result] = searched(admin_client, superuser, "SC-2026-00042")

    assert result.title == "SC-2026-00042"
    assert "Sale contract" in result.description and "PALM-7" in result.description
    assert "Omar Haddad" in result.description
    assert str(result.link) == change_url(contract)


def test_a_user_without_grants_finds_menu_items_at_most(client, roles):
    ClientFactory(name="Zara Alpha")
    nobody = UserFactory(username="no-grants")

    assert searched(client, nobody, "zara") == []


def test_results_are_few_and_the_queries_do_not_grow_with_the_rows(client, superuser):
    for n in range(3 * PER_KIND):
        UnitFactory(code=f"BAY-{n:03d}")
        ClientFactory(name=f"Bay Client {n}")
    client.force_login(superuser)

    with CaptureQueriesContext(connection) as few:
        client.get(SEARCH_URL, {"s": "bay", "extended": "1"})
    cache.clear()
    for n in range(3 * PER_KIND, 6 * PER_KIND):
        UnitFactory(code=f"BAY-{n:03d}")
    with CaptureQueriesContext(connection) as more:
        response = client.get(SEARCH_URL, {"s": "bay", "extended": "1"})

    found = links(response.context["results"])
    assert len([link for link in found if "/properties/unit/" in link]) == PER_KIND
    assert len([link for link in found if "/clients/client/" in link]) == PER_KIND
    assert len(more) == len(few)
    # The records themselves: one query per kind.
    request = RequestFactory().get(SEARCH_URL)
    request.user = superuser
    with CaptureQueriesContext(connection) as records:
        search_records(request, "bay")
    assert len(records) == len(KINDS)


def test_the_search_box_opens_the_command_search(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()

    # The sidebar's box dispatches "opencommand" (unfold's command search, which calls
    # backoffice.search) instead of filtering menu items only.
    assert "$dispatch('opencommand')" in html


def test_withdrawn_access_is_not_remembered_by_the_search(client, roles):
    """unfold keeps search results for five minutes; a record whose grant was just withdrawn
    must not be listed any more."""
    mine = ClientFactory(name="Yusuf Remembered")
    user = UserFactory(username="was-granted")
    grant(mine, user, actions=("view",))
    assert change_url(mine) in links(searched(client, user, "yusuf"))

    remove_perm("clients.view_client", user, mine)

    assert change_url(mine) not in links(searched(client, user, "yusuf"))
