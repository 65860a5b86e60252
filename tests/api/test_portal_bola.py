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


#: a record's PDF or documents → (whose, the records of a tenancy it is asked for)
RECORD_PATHS = {
    "/api/v1/tenant/invoices/{}/pdf/": ("tenant", lambda t: {r.pk for r in t.invoices}),
    "/api/v1/tenant/payments/{}/receipt/": ("tenant", lambda t: {t.payment.pk}),
    "/api/v1/tenant/leases/{}/documents/": ("tenant", lambda t: {t.lease.pk, t.past_lease.pk}),
    "/api/v1/owner/statements/{}/pdf/": ("owner", lambda t: {t.statement.pk}),
}


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("path", RECORD_PATHS)
def test_a_records_pdf_or_documents_are_only_its_owners(
    jwt_client, first, second, path, media_in_tmp
):
    kind, records = RECORD_PATHS[path]
    other = "owner" if kind == "tenant" else "tenant"
    for mine, theirs in ((first, second), (second, first)):
        api = jwt_client(getattr(mine, kind).user)
        missing = api.get(path.format(999999999))
        assert missing.status_code == 404
        for pk in records(theirs):
            response = api.get(path.format(pk))
            assert response.status_code == 404, (path, pk)
            assert response.json() == missing.json()
        for pk in records(mine):
            assert api.get(path.format(pk)).status_code == 200
        stranger = jwt_client(getattr(mine, other).user)
        for pk in records(mine) | records(theirs):
            assert stranger.get(path.format(pk)).status_code == 404


def test_the_statement_of_account_is_the_callers_own(jwt_client, first, second, media_in_tmp):
    from tests.documents.conftest import pypdf_text

    for mine, theirs in ((first, second), (second, first)):
        response = jwt_client(mine.tenant.user).get("/api/v1/tenant/statement/")
        text = pypdf_text(b"".join(response.streaming_content))
        assert mine.payment.number in text and mine.tenant.client.name in text
        assert theirs.payment.number not in text and theirs.tenant.client.name not in text


@pytest.mark.parametrize("kind", ["tenant", "owner"])
def test_notifications_are_only_their_recipients(jwt_client, first, second, kind):
    """Another user's notification: 404 (as a missing one) to mark read, never listed, never
    marked by "read all"."""
    from realestate.notifications.models import Notification
    from tests.notifications.live_support import lease_ending

    for tenancy in (first, second):
        lease_ending(getattr(tenancy, kind).user, tenancy.unit)
    for mine, theirs in ((first, second), (second, first)):
        api = jwt_client(getattr(mine, kind).user)
        own = Notification.objects.get(user=getattr(mine, kind).user)
        other = Notification.objects.get(user=getattr(theirs, kind).user)

        assert listed(api, "/api/v1/notifications/") == {own.pk}
        response = api.post(f"/api/v1/notifications/{other.pk}/read/")
        assert response.status_code == 404
        assert response.json() == api.post("/api/v1/notifications/999999999/read/").json()
        api.post("/api/v1/notifications/read-all/")
        assert Notification.objects.get(pk=other.pk).read_at is None
        Notification.objects.filter(pk=own.pk).update(read_at=None)
