"""A record out of the user's scope looks exactly like a missing one: 404.

For every scoped model (read from the admin site, as in ``test_permission_matrix``), a user
granted record A only gets the same answer, 404, for record B and for an id that does not
exist, on the change, history and delete pages, a history version, and the admin's "view on
site" shortcut (``/admin/r/<content type>/<id>/``). The history of a deleted record is shown
only to those who see every row of its model. Models not scoped by record answer 404 for a
missing id too, instead of redirecting.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from realestate.core.admin import ScopedAdminMixin
from realestate.core.permissions import grant
from tests import factories
from tests.accounts.test_permission_matrix import MODEL_IDS, SCOPED, two_records, url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = ("change", "history", "delete")
HISTORY = [model for model in SCOPED if isinstance(admin.site._registry[model], SimpleHistoryAdmin)]


@pytest.fixture
def granted_user(roles):
    return UserFactory(username="granted-one")


def missing_pk(model):
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
    return last + 1000


def shortcut(model, pk):
    content_type = ContentType.objects.get_for_model(model)
    return reverse("admin:view_on_site", args=[content_type.pk, pk])


def statuses(client, model, pk) -> dict:
    found = {view: client.get(url(model, view, pk)).status_code for view in PAGES}
    found["post delete"] = client.post(url(model, "delete", pk), {"post": "yes"}).status_code
    found["view on site"] = client.get(shortcut(model, pk)).status_code
    return found


@pytest.mark.parametrize("model", SCOPED, ids=MODEL_IDS)
def test_out_of_scope_and_missing_records_both_answer_404(client, granted_user, model):
    a, b = two_records(model)
    grant(a, granted_user)
    client.force_login(granted_user)

    everything_404 = dict.fromkeys([*PAGES, "post delete", "view on site"], 404)
    assert statuses(client, model, b.pk) == everything_404, "record out of scope"
    assert statuses(client, model, missing_pk(model)) == everything_404, "missing record"
    assert model._default_manager.filter(pk=b.pk).exists()

    # The granted record itself opens, and its shortcut leads to it (if it has a page).
    assert client.get(url(model, "history", a.pk)).status_code == 200
    expected = 302 if hasattr(a, "get_absolute_url") else 404
    response = client.get(shortcut(model, a.pk))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].endswith(a.get_absolute_url())


@pytest.mark.parametrize("model", SCOPED, ids=MODEL_IDS)
def test_user_without_any_grant_gets_404_everywhere(client, roles, model):
    a, _b = two_records(model)
    client.force_login(UserFactory(username="nobody"))
    for pk in (a.pk, missing_pk(model)):
        for view in PAGES:
            assert client.get(url(model, view, pk)).status_code == 404, (view, pk)
        assert client.get(shortcut(model, pk)).status_code == 404


def version_url(model, pk, history_id):
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history",
        args=[pk, history_id],
    )


@pytest.mark.parametrize("model", HISTORY, ids=[m._meta.label for m in HISTORY])
def test_history_versions_and_deleted_records_stay_hidden(client, granted_user, superuser, model):
    a, b = two_records(model)
    grant(a, granted_user)
    b_version = b.history.latest("history_date").history_id
    a_version = a.history.latest("history_date").history_id
    client.force_login(granted_user)

    assert client.get(version_url(model, a.pk, a_version)).status_code == 200
    assert client.get(version_url(model, b.pk, b_version)).status_code == 404
    assert client.get(version_url(model, missing_pk(model), b_version)).status_code == 404

    # A deleted record's history: its scope is gone with it, so only those who see every row
    # of the model may read it.
    b_pk = b.pk
    b.delete()
    assert client.get(url(model, "history", b_pk)).status_code == 404
    assert client.get(version_url(model, b_pk, b_version)).status_code == 404
    client.force_login(superuser)
    assert client.get(url(model, "history", b_pk)).status_code == 200
    assert client.get(version_url(model, b_pk, b_version)).status_code == 200


UNSCOPED = sorted(
    (
        model
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ScopedAdminMixin)
    ),
    key=lambda model: model._meta.label,
)


@pytest.mark.parametrize("model", UNSCOPED, ids=[m._meta.label for m in UNSCOPED])
def test_missing_record_is_404_not_a_redirect(admin_client, superuser, rf, model):
    request = rf.get("/admin/")
    request.user = superuser
    deletable = admin.site._registry[model].has_delete_permission(request)
    for view in PAGES:
        response = admin_client.get(url(model, view, 987654))
        # A model nobody deletes refuses the delete page before looking for the record.
        expected = 403 if view == "delete" and not deletable else 404
        assert response.status_code == expected, (view, response.status_code)


def test_shortcut_needs_a_known_content_type(admin_client):
    assert admin_client.get(reverse("admin:view_on_site", args=[987654, 1])).status_code == 404
    unit = factories.UnitFactory()
    assert admin_client.get(shortcut(type(unit), unit.pk)).status_code == 302
