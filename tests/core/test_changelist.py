"""core.changelist: counts estimated only where counting would be costly (PostgreSQL, long
lists), search by related ids only where Django's own search would say the same, and light
rows only where they can draw everything the list shows. Tried on the unit list, the first
list that uses them."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from realestate.core.changelist import EstimatedCountPaginator
from realestate.properties.models import Unit
from tests.factories import ProjectFactory, UnitFactory

URL = reverse("admin:properties_unit_changelist")


@pytest.fixture
def exact_up_to_three(monkeypatch):
    """Lists of more than 3 rows count as long: the estimate is tried without 10,000 units."""
    monkeypatch.setattr(EstimatedCountPaginator, "exact_up_to", 3)


def analyse():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE properties_unit")


@pytest.mark.django_db
def test_short_lists_and_sqlite_lists_are_counted_exactly(admin_client):
    UnitFactory.create_batch(2)
    page = admin_client.get(URL)

    assert page.context["cl"].result_count == 2
    assert page.context["cl"].paginator.estimated is False
    assert "about" not in page.content.decode()


@pytest.mark.django_db
@pytest.mark.postgres_only
def test_a_long_list_on_postgresql_is_counted_by_the_planners_estimate(
    admin_client, exact_up_to_three
):
    UnitFactory.create_batch(12)
    analyse()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN SELECT id FROM properties_unit")
        planned = int(cursor.fetchone()[0].split("rows=")[1].split()[0])

    page = admin_client.get(URL)

    cl = page.context["cl"]
    assert cl.paginator.estimated is True
    assert cl.result_count == max(planned, 4)
    html = " ".join(page.content.decode().split())
    assert f"about {cl.result_count} units" in html  # the pagination
    assert f"about {cl.result_count} results" in html  # the page header


@pytest.mark.django_db
@pytest.mark.postgres_only
def test_pages_past_an_estimated_end_open_short_or_empty(admin_client, exact_up_to_three):
    UnitFactory.create_batch(55)
    analyse()

    page = admin_client.get(f"{URL}?p=4")  # 50 a page: past the second, Django says "error"

    assert page.status_code == 200
    assert page.context["cl"].paginator.estimated is True
    assert list(page.context["cl"].result_list) == []


@pytest.mark.django_db
@pytest.mark.postgres_only
def test_a_list_within_the_bound_is_counted_exactly_whatever_the_planner_thinks(
    admin_client, exact_up_to_three
):
    project = ProjectFactory()
    UnitFactory.create_batch(2, project=project)
    UnitFactory.create_batch(30)
    # No ANALYZE: the planner knows nothing of these rows.

    page = admin_client.get(f"{URL}?project__id__exact={project.pk}")

    assert page.context["cl"].paginator.estimated is False
    assert page.context["cl"].result_count == 2


@pytest.mark.django_db
def test_a_word_matching_nothing_anywhere_finds_nothing(admin_client):
    UnitFactory.create_batch(3)
    page = admin_client.get(f"{URL}?q=nowhere")

    assert page.context["cl"].result_count == 0


@pytest.mark.django_db
def test_search_fields_of_other_kinds_are_left_to_django(superuser):
    class UnitsByAmenity(admin.site._registry[Unit].__class__):
        search_fields = ["code", "amenities__name"]  # many-to-many: Django's way

    request = RequestFactory().get(URL)
    request.user = superuser
    model_admin = UnitsByAmenity(Unit, admin.site)
    assert model_admin._search_plan(request) is None
    UnitFactory(code="POOL-1").amenities.create(name="Pool")
    UnitFactory(code="GYM-1")
    found, duplicates = model_admin.get_search_results(request, Unit.objects.all(), "pool")
    assert [unit.code for unit in found] == ["POOL-1"]
    assert duplicates is True


@pytest.mark.django_db
def test_a_list_with_editable_columns_keeps_unfolds_rows(superuser):
    class EditableUnits(admin.site._registry[Unit].__class__):
        list_editable = ["bedrooms"]

    UnitFactory(bedrooms=4)
    request = RequestFactory().get(URL)
    request.user = superuser
    response = EditableUnits(Unit, admin.site).changelist_view(request)
    html = response.render().content.decode()

    assert 'name="form-0-bedrooms"' in html
    assert "lg:table-cell" in html and "cl-cell" not in html


@pytest.mark.django_db
def test_many_matching_related_records_are_matched_by_a_subquery(superuser, monkeypatch):
    model_admin = admin.site._registry[Unit]
    monkeypatch.setattr(model_admin, "related_ids_max", 1)
    for name in ["Marina Gate", "Marina Vista"]:
        UnitFactory(project=ProjectFactory(name=name))
    UnitFactory(project=ProjectFactory(name="Palm View"))
    request = RequestFactory().get(URL)
    request.user = superuser

    found, _dupes = model_admin.get_search_results(request, Unit.objects.all(), "marina")

    assert "SELECT" in str(found.query).split("WHERE", 1)[1]  # ids by a subquery, not a list
    assert sorted(unit.project.name for unit in found) == ["Marina Gate", "Marina Vista"]
