"""Broken object-level authorisation: every portal endpoint, for two users of each kind.
What one tenant (owner) lists never holds the other's records, and the other's records
answer 404 on every detail path, exactly like ids that do not exist."""

import pytest

pytestmark = pytest.mark.django_db

#: endpoint → (whose, the records it lists of a tenancy)
LISTS = {
    "/api/v1/tenant/leases/": ("tenant", lambda t: {t.lease.pk, t.past_lease.pk}),
    "/api/v1/tenant/invoices/": ("tenant", lambda t: {r.pk for r in t.invoices}),
    "/api/v1/tenant/payments/": ("tenant", lambda t: {t.payment.pk}),
    "/api/v1/tenant/maintenance/": ("tenant", lambda t: {t.request.pk}),
    "/api/v1/owner/units/": ("owner", lambda t: {t.unit.pk, t.past_lease.unit_id}),
    "/api/v1/owner/statements/": ("owner", lambda t: {t.statement.pk}),
    "/api/v1/owner/maintenance/": ("owner", lambda t: {t.request.pk}),
}


def listed(api, url):
    response = api.get(url)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("url", LISTS)
def test_each_sees_exactly_their_own_and_never_the_others(jwt_client, first, second, url):
    kind, records = LISTS[url]
    for mine, theirs in ((first, second), (second, first)):
        api = jwt_client(getattr(mine, kind).user)

        assert listed(api, url) == records(mine)
        for pk in records(theirs):
            response = api.get(f"{url}{pk}/")
            assert response.status_code == 404, (url, pk)
            assert response.json() == api.get(f"{url}999999999/").json()
        for pk in records(mine):
            assert api.get(f"{url}{pk}/").status_code == 200


@pytest.mark.parametrize("url", LISTS)
def test_the_other_kind_sees_nothing_of_a_tenancy(jwt_client, first, second, url):
    kind, records = LISTS[url]
    other = "owner" if kind == "tenant" else "tenant"
    api = jwt_client(getattr(first, other).user)

    assert listed(api, url) == set()
    for pk in records(first) | records(second):
        assert api.get(f"{url}{pk}/").status_code == 404


def test_a_tenant_cannot_comment_on_another_tenants_request(jwt_client, first, second):
    api = jwt_client(first.tenant.user)

    response = api.post(
        f"/api/v1/tenant/maintenance/{second.request.pk}/comments/", {"body": "hi"}, format="json"
    )

    assert response.status_code == 404
    assert second.request.comments.count() == 0


@pytest.mark.parametrize("url", [*LISTS, "/api/v1/tenant/balance/"])
def test_staff_are_refused_every_portal_endpoint(jwt_client, agent1, first, url):
    response = jwt_client(agent1).get(url)

    assert response.status_code == 403
    assert response.json()["code"] == "not_a_client"


def test_the_balance_is_the_callers_own(jwt_client, first, second):
    second.invoices[1].amount = second.invoices[1].amount * 2
    second.invoices[1].save()

    assert jwt_client(first.tenant.user).get("/api/v1/tenant/balance/").json()["due"] == "13000.00"
