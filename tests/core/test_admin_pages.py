"""Every admin page opens: the changelist, the add form and a change form of each model.

The list of models is read from the admin site itself, so a newly registered model is
tested as soon as it has a factory named ``<Model>Factory`` in ``tests.factories``.
"""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.factories import BuildingFactory, UnitFactory, UserFactory

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def make_instance(model, superuser):
    """One record of ``model`` built by its factory (the superuser stands in for users)."""
    if model is type(superuser):
        return superuser
    factory = getattr(factories, f"{model.__name__}Factory", None)
    if factory is None:
        pytest.fail(
            f"{model._meta.label} is registered in the admin but tests.factories has no "
            f"{model.__name__}Factory: add one so its admin pages are tested."
        )
    return factory()


@pytest.fixture
def superuser_request(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    return request


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_opens(admin_client, superuser, model):
    instance = make_instance(model, superuser)
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    if getattr(admin.site._registry[model], "single_record", False):
        # A one-record model's list is its record's page (the company profile).
        assert response.context["original"].pk == instance.pk
        return
    # The instance made above is listed: the page shows rows, not an empty list.
    assert response.context["cl"].result_count >= 1


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_add_form_opens(admin_client, superuser_request, model):
    if not admin.site._registry[model].has_add_permission(superuser_request):
        response = admin_client.get(admin_url(model, "add"))
        assert response.status_code == 403, "a model without add permission must refuse adds"
        return
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == 200
    assert response.context["adminform"].form.instance.pk is None


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_change_form_opens(admin_client, superuser, model):
    instance = make_instance(model, superuser)
    response = admin_client.get(admin_url(model, "change", instance.pk))
    assert response.status_code == 200
    assert response.context["original"].pk == instance.pk


@pytest.mark.django_db
def test_admin_index_opens(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200


def unit_changelist_queries(client, count):
    agent = UserFactory()
    building = BuildingFactory()
    UnitFactory.create_batch(count, project=building.project, building=building, agent=agent)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(admin_url(UnitFactory._meta.model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == count
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db
def test_unit_changelist_query_count_does_not_grow_with_rows(admin_client):
    with_3 = unit_changelist_queries(admin_client, 3)
    UnitFactory._meta.model.objects.all().delete()
    with_15 = unit_changelist_queries(admin_client, 15)
    assert len(with_15) == len(with_3), "\n".join(with_15)


def changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_no_list_page_queries_per_row(admin_client, superuser, model):
    """Every changelist costs the same number of queries for 2 rows as for 6 (no N+1)."""
    is_user_model = model is type(superuser)

    def make():
        return UserFactory() if is_user_model else make_instance(model, superuser)

    for _ in range(2):
        make()
    # A first visit may set a list up once (company defaults write a row per kind).
    changelist_queries(admin_client, model)
    few = changelist_queries(admin_client, model)
    for _ in range(4):
        make()
    many = changelist_queries(admin_client, model)
    assert many == few, f"{model._meta.label}: {few} queries for few rows, {many} for more"
