"""The template admin: every save a version, one active template per kind and language, the
placeholders beside the editor, and the live preview (scope, images, problems)."""

import base64
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from PIL import Image

from realestate.accounts.roles import ACCOUNTANT, AUDITOR, SALES_AGENT
from realestate.documents.models import DocumentTemplate
from realestate.documents.template_services import template_activate, template_save
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_shipped_templates(db):
    """These tests count templates and activate their own: start without the shipped ones
    (``documents.defaults`` installs one per kind on migrate)."""
    DocumentTemplate.objects.all().delete()


ADD_URL = "/admin/documents/documenttemplate/add/"
PREVIEW_URL = "/admin/documents/documenttemplate/preview/"
RECORDS_URL = "/admin/documents/documenttemplate/preview/records/"


def form_data(**changes):
    data = {
        "kind": "fact_sheet",
        "name": "Fact sheet",
        "language": "en",
        "page_size": "A4",
        "is_active": "on",
        "body": "<h1>{{ unit.code }}</h1>",
        "css": "h1 { color: #17324d; }",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_every_save_is_a_new_version_by_its_author(admin_client, superuser):
    response = admin_client.post(ADD_URL, form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    template = DocumentTemplate.objects.get()
    change_url = reverse("admin:documents_documenttemplate_change", args=[template.pk])
    admin_client.post(change_url, form_data(body="<h1>{{ unit.code }} v2</h1>"))
    admin_client.post(change_url, form_data(body="<h1>{{ unit.code }} v3</h1>"))

    versions = list(template.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[0].body == "<h1>{{ unit.code }}</h1>"
    assert versions[2].body == "<h1>{{ unit.code }} v3</h1>"
    assert {v.saved_by for v in versions} == {superuser}

    page = admin_client.get(change_url).content.decode()
    assert "Versions (each save makes one)" in page
    assert page.count("characters</summary>") == 3
    assert "&lt;h1&gt;{{ unit.code }} v2&lt;/h1&gt;" in page  # each version's text, escaped


def test_a_template_that_does_not_compile_is_not_saved_and_says_where(admin_client):
    response = admin_client.post(ADD_URL, form_data(body="<p>ok</p>\n{% include 'x.html' %}"))
    assert response.status_code == 200
    assert "Line 2: The tag {% include %} is not allowed" in response.content.decode()
    assert not DocumentTemplate.objects.exists()


def test_activating_a_template_deactivates_the_other_of_its_kind_and_language(admin_client):
    first = DocumentTemplate(kind="invoice", name="Old", language="en", body="a", is_active=True)
    template_save(template=first)
    arabic = DocumentTemplate(kind="invoice", name="AR", language="ar", body="b", is_active=True)
    template_save(template=arabic)
    response = admin_client.post(
        ADD_URL, form_data(kind="invoice", name="New", body="<p>new</p>", is_active="on")
    )
    assert response.status_code == 302
    active = DocumentTemplate.objects.filter(is_active=True)
    assert {(t.name, t.language) for t in active} == {("New", "en"), ("AR", "ar")}

    template_activate(template=first)
    active = DocumentTemplate.objects.filter(is_active=True, kind="invoice", language="en")
    assert [t.name for t in active] == ["Old"]
    assert first.versions.count() == 2


def test_the_database_refuses_two_active_templates_of_one_kind_and_language():
    from django.db import IntegrityError, transaction

    DocumentTemplate.objects.create(kind="receipt", name="A", body="a", is_active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentTemplate.objects.create(kind="receipt", name="B", body="b", is_active=True)


def test_placeholders_of_the_kind_and_the_letterhead_are_beside_the_editor(
    admin_client, unit_kind, monkeypatch
):
    from realestate.documents.kinds import KINDS

    monkeypatch.delitem(KINDS, "owner_statement", raising=False)
    page = admin_client.get(ADD_URL).content.decode()
    assert "{{ unit.code }}" in page and "The unit&#x27;s code" in page
    assert "{{ company.bank.iban }}" in page
    # A kind nobody has registered yet says so instead of failing.
    assert "No data is registered for this kind yet" in page


def test_template_permissions_by_role(client, roles):
    accountant = UserFactory(username="acc", roles=[ACCOUNTANT])
    auditor = UserFactory(username="aud", roles=[AUDITOR])
    agent = UserFactory(username="agt", roles=[SALES_AGENT])
    client.force_login(accountant)
    assert client.get(ADD_URL).status_code == 200
    client.force_login(auditor)
    assert client.get(ADD_URL).status_code == 403
    assert client.get("/admin/documents/documenttemplate/").status_code == 200
    assert client.post(PREVIEW_URL, {"kind": "invoice", "body": "x"}).status_code == 403
    client.force_login(agent)
    assert client.get("/admin/documents/documenttemplate/").status_code == 403


# --- The live preview --------------------------------------------------------------------------


def png_of(data_uri: str) -> Image.Image:
    assert data_uri.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1])))


def test_preview_renders_the_unsaved_body_against_a_record(admin_client, unit_kind):
    unit = UnitFactory(code="PV-101")
    response = admin_client.post(
        PREVIEW_URL,
        form_data(body="<h1>{{ unit.code }}</h1>" + "<p>line</p>" * 120, record=unit.pk),
    )
    assert response.status_code == 200
    data = response.json()
    assert data["problem"] is None
    assert data["page_count"] >= 2
    assert 1 <= len(data["pages"]) <= 3
    image = png_of(data["pages"][0])
    assert image.width > 500 and image.height > image.width  # an A4 page, portrait
    assert data["record"] == str(unit)
    assert not DocumentTemplate.objects.exists()  # nothing saved


def test_preview_shows_a_template_problem_with_its_line_never_a_500(admin_client, unit_kind):
    unit = UnitFactory(code="PV-102")
    for body, line, says in [
        ("<h1>x</h1>\n\n{% for %}", 3, "for"),
        ("<p>\n{% load static %}</p>", 2, "not allowed"),
        ("<p>{{ unit.code }}</p>\n{{ unit.clear }}", 2, "is a method"),
    ]:
        response = admin_client.post(PREVIEW_URL, form_data(body=body, record=unit.pk))
        assert response.status_code == 200
        problem = response.json()["problem"]
        assert problem["line"] == line, (body, problem)
        assert says in problem["message"]


def test_preview_reports_refused_resources(admin_client, unit_kind, settings):
    env = settings.BASE_DIR / ".env"
    response = admin_client.post(PREVIEW_URL, form_data(body=f'<p>x</p><img src="{env.as_uri()}">'))
    data = response.json()
    assert data["problem"] is None and data["pages"]
    assert data["refused"] == [env.as_uri()]


def test_preview_without_a_registered_kind_uses_the_letterhead_only(admin_client):
    response = admin_client.post(
        PREVIEW_URL, form_data(kind="owner_statement", body="<h1>{{ company.name }}</h1>")
    )
    data = response.json()
    assert data["problem"] is None and data["pages"]
    assert "No record kind is registered" in data["note"]


@pytest.fixture
def template_editor_agent(roles):
    """A sales agent who may also edit templates: sees only the units assigned to them."""
    user = UserFactory(username="editor", roles=[SALES_AGENT])
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_documenttemplate", "change_documenttemplate"]
        )
    )
    return user


def test_preview_of_a_record_out_of_scope_is_404(client, template_editor_agent, unit_kind):
    from tests.factories import AgentFactory

    AgentFactory(user=template_editor_agent)
    mine = UnitFactory(code="MINE-1", agent=template_editor_agent)
    other = UnitFactory(code="OTHER-1")
    client.force_login(template_editor_agent)

    assert client.post(PREVIEW_URL, form_data(record=mine.pk)).status_code == 200
    assert client.post(PREVIEW_URL, form_data(record=other.pk)).status_code == 404
    assert client.post(PREVIEW_URL, form_data(record=999999)).status_code == 404
    assert client.post(PREVIEW_URL, form_data(record="x")).status_code == 404

    listed = client.get(RECORDS_URL, {"kind": "fact_sheet"}).json()["records"]
    assert [row["id"] for row in listed] == [mine.pk]
    found = client.get(RECORDS_URL, {"kind": "fact_sheet", "q": "OTHER"}).json()["records"]
    assert found == []


def test_preview_is_post_only(admin_client):
    assert admin_client.get(PREVIEW_URL).status_code == 405


def test_a_save_that_loses_the_activation_race_is_said_not_a_500(admin_client, monkeypatch):
    from realestate.documents import template_services

    existing = DocumentTemplate(kind="invoice", name="Current", body="a", is_active=True)
    template_save(template=existing)

    def other_save_first(template):
        # Another session makes a new template active between this save's lock and insert.
        DocumentTemplate.objects.create(kind="invoice", name="Racer", body="r", is_active=True)

    monkeypatch.setattr(template_services, "_deactivate_others", other_save_first)
    response = admin_client.post(
        ADD_URL, form_data(kind="invoice", name="Loser", body="<p>x</p>"), follow=True
    )
    assert response.status_code == 200
    assert "was made active at the same moment: save again" in response.content.decode()
    assert not DocumentTemplate.objects.filter(name="Loser").exists()
    assert not DocumentTemplate.objects.filter(name="Racer").exists()  # rolled back with it


def test_preview_shows_the_records_own_images_and_no_other(admin_client, unit_kind, monkeypatch):
    from dataclasses import replace

    from PIL import Image

    from realestate.documents.choices import TemplateKind
    from realestate.documents.kinds import KINDS
    from realestate.documents.rendering import asset_uri
    from realestate.properties.models import UnitPhoto

    unit = UnitFactory(code="PV-PHOTO")
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "red").save(buffer, format="PNG")
    from django.core.files.base import ContentFile

    photo = UnitPhoto(unit=unit)
    photo.image.save("front.png", ContentFile(buffer.getvalue()), save=True)
    spec = replace(
        unit_kind,
        context=lambda unit: {"photo": asset_uri(unit.photos.first().image)},
        assets=lambda unit: [p.image for p in unit.photos.all()],
    )
    monkeypatch.setitem(KINDS, TemplateKind.FACT_SHEET, spec)
    body = '<img src="{{ photo }}" style="width: 100mm"><img src="{{ photo }}x">'
    data = admin_client.post(PREVIEW_URL, form_data(body=body, record=unit.pk)).json()
    assert data["problem"] is None
    assert data["refused"] == [asset_uri(photo.image) + "x"]
    page = png_of(data["pages"][0]).convert("RGB")
    colours = page.getcolors(maxcolors=1 << 24)
    reds = sum(count for count, (r, g, b) in colours if r > 200 and g < 60 and b < 60)
    assert reds > 10_000  # the photo is drawn
