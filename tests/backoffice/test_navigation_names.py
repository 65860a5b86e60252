"""The sidebar and the page headers ("Section › Items › record") name things alike, and our
apps are named after the sidebar section that holds their models."""

import re

import pytest
from django.urls import resolve

from realestate.backoffice.navigation import SIDEBAR_NAVIGATION
from tests import factories

pytestmark = pytest.mark.django_db

ITEMS = [
    (section["title"], item)
    for section in SIDEBAR_NAVIGATION
    if section["title"] != "Overview"
    for item in section["items"]
]
IDS = [str(item["title"]) for _section, item in ITEMS]


def header(response) -> list[str]:
    """The page header's parts ("Section › Items › record"), as shown."""
    assert response.status_code == 200
    parts = re.findall(
        r'<(?:a href="[^"]*"|span) class="align-middle inline-block[^"]*">(.*?)<',
        response.content.decode(),
        re.S,
    )
    return [" ".join(part.split()) for part in parts]


def linked_model(item, rf, superuser):
    """The sidebar item's link as the superuser gets it, and the model of that list."""
    request = rf.get("/admin/")
    request.user = superuser
    url = str(item["link"](request))
    return url, resolve(url).func.model_admin.model


@pytest.mark.parametrize("section,item", ITEMS, ids=IDS)
def test_list_and_record_pages_are_named_as_in_the_sidebar(
    admin_client, superuser, rf, section, item
):
    url, model = linked_model(item, rf, superuser)
    expected = [str(section), str(item["title"])]
    assert header(admin_client.get(url))[:2] == expected

    factory = getattr(factories, f"{model.__name__}Factory", None)
    record = superuser if model is type(superuser) else factory() if factory else None
    if record is not None:
        response = admin_client.get(f"{url}{record.pk}/change/")
        assert header(response)[:2] == expected


def test_our_apps_are_named_after_their_sidebar_section(rf, superuser):
    sections = {}
    for section, item in ITEMS:
        config = linked_model(item, rf, superuser)[1]._meta.app_config
        sections.setdefault(config, set()).add(str(section))
    for config, titles in sections.items():
        if config.name.startswith("realestate."):
            assert config.verbose_name in titles, (config.label, config.verbose_name, titles)
