"""Object permissions on every path, for every model that takes object grants.

In the style of NetBox's view and API test mixins: the models are read from the admin site
(every registered model whose admin is scoped and whose records take grants), and for each
one a user granted record A only must see A and never B on the list, search, the change,
history and delete pages, autocomplete, export and the API; a user with no grant sees
nothing; and a read-only role (Auditor) sees everything and can change nothing.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from import_export.formats import base_formats

from realestate.accounts.roles import AUDITOR
from realestate.core.admin import ScopedAdminMixin
from realestate.core.permissions import grant
from realestate.documents.models import Document, DocumentVersion, document_models
from realestate.documents.services import document_add
from realestate.properties.api.urls import router
from tests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def grantable(model) -> bool:
    """Models whose records take grants; documents take their records' scope instead
    (``test_documents_follow_their_records_scope``)."""
    model_admin = admin.site._registry[model]
    return (
        isinstance(model_admin, ScopedAdminMixin)
        and hasattr(model._default_manager, "restrict")
        and getattr(model, "takes_grants", True)
    )


SCOPED = sorted(
    (model for model in admin.site._registry if grantable(model)),
    key=lambda model: model._meta.label,
)
MODEL_IDS = [model._meta.label for model in SCOPED]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def two_records(model):
    factory = getattr(factories, f"{model.__name__}Factory")
    return factory(), factory()


@pytest.fixture
def granted_user(roles):
    """A staff user with no role at all: only what is granted to them by object."""
    user = UserFactory(username="granted-one")
    user.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    return user


def listed_pks(response) -> set:
    assert response.status_code == 200, response.status_code
    return {obj.pk for obj in response.context["cl"].result_list}


def test_every_grantable_model_is_covered():
    # The list is not empty by accident (a broken filter would silently test nothing).
    labels = set(MODEL_IDS)
    assert {
        "properties.Unit",
        "clients.Client",
        "sales.SaleContract",
        "leasing.Lease",
        "finance.Receivable",
        "finance.Payment",
        "accounts.Branch",
    } <= labels


@pytest.mark.parametrize("model", SCOPED, ids=MODEL_IDS)
def test_list_and_pages_show_only_the_granted_record(client, granted_user, model):
    a, b = two_records(model)
    grant(a, granted_user)
    client.force_login(granted_user)

    assert listed_pks(client.get(url(model, "changelist"))) == {a.pk}
    assert client.get(url(model, "change", a.pk)).status_code == 200
    for view in ("change", "delete", "history"):
        response = client.get(url(model, view, b.pk))
        # Out of scope looks like missing: 404 (test_hidden_records), never 403.
        assert response.status_code == 404, f"{view} of B: {response.status_code}"
        assert str(b).encode() not in response.content or str(a) == str(b)
    # Deleting was not granted, even for A.
    assert client.post(url(model, "delete", a.pk), {"post": "yes"}).status_code in (403, 404)
    assert model._default_manager.filter(pk=a.pk).exists()


@pytest.mark.parametrize("model", SCOPED, ids=MODEL_IDS)
def test_search_does_not_reach_other_records(client, granted_user, model):
    model_admin = admin.site._registry[model]
    if not model_admin.search_fields:
        pytest.skip(f"{model._meta.label} has no search")
    a, b = two_records(model)
    grant(a, granted_user)
    client.force_login(granted_user)
    field = next(f for f in model_admin.search_fields if f[0] not in "^=@")
    response = client.get(url(model, "changelist"), {"q": searched_value(b, field)})
    assert b.pk not in listed_pks(response)
    response = client.get(url(model, "changelist"), {"q": searched_value(a, field)})
    assert a.pk in listed_pks(response)


def searched_value(obj, path: str) -> str:
    """The value a search field looks at (``client__name`` follows the relation)."""
    for name in path.split("__"):
        obj = getattr(obj, name)
    return str(obj)


def autocomplete_sources(model):
    """(source admin's model, field name) pairs whose autocomplete lists ``model``."""
    for source, source_admin in admin.site._registry.items():
        for name in getattr(source_admin, "autocomplete_fields", ()):
            field = source._meta.get_field(name)
            if field.related_model is model:
                yield source, name


@pytest.mark.parametrize("model", SCOPED, ids=MODEL_IDS)
def test_autocomplete_offers_only_the_granted_record(client, granted_user, model):
    sources = list(autocomplete_sources(model))
    if not sources:
        pytest.skip(f"no autocomplete field lists {model._meta.label}")
    a, b = two_records(model)
    grant(a, granted_user)
    client.force_login(granted_user)
    for source, field_name in sources:
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": source._meta.app_label,
                "model_name": source._meta.model_name,
                "field_name": field_name,
                "term": "",
            },
        )
        assert response.status_code == 200, (source, field_name)
        ids = {result["id"] for result in response.json()["results"]}
        assert str(a.pk) in ids and str(b.pk) not in ids, (source, field_name, ids)


EXPORTABLE = [
    model for model in SCOPED if hasattr(admin.site._registry[model], "has_export_permission")
]


def export_key(obj) -> str:
    """What the first column of an export holds for ``obj``."""
    if hasattr(obj, "scheduled_at"):
        local = timezone.localtime(obj.scheduled_at).replace(tzinfo=None)
        return local.isoformat(sep=" ", timespec="seconds")
    for attribute in ("code", "number", "name", "title", "event_id"):
        if hasattr(obj, attribute):
            return str(getattr(obj, attribute))
    for relation, attribute in (
        ("client", "name"),
        ("owner", "name"),
        ("contract", "number"),
        ("payment", "number"),
        ("user", "username"),
    ):
        if hasattr(obj, relation):
            return str(getattr(getattr(obj, relation), attribute))
    if hasattr(obj, "incurred_on"):
        return obj.incurred_on.isoformat()
    raise AssertionError(f"no export key for {obj!r}")


@pytest.mark.parametrize("model", EXPORTABLE, ids=[m._meta.label for m in EXPORTABLE])
def test_export_holds_only_the_granted_record(client, granted_user, model):
    a, b = two_records(model)
    grant(a, granted_user)
    client.force_login(granted_user)
    model_admin = admin.site._registry[model]
    formats = [type(f()) for f in model_admin.get_export_formats()]
    response = client.post(
        url(model, "export"), {"format": str(formats.index(base_formats.CSV)), "resource": "0"}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    # The export's first column names the record: its code, number or name (never an id),
    # or for records without one (leads, commissions...) the client's, contract's or user's.
    first = next(iter(rows[0].values()))
    assert first == export_key(a), (first, a)


API = [(prefix, viewset) for prefix, viewset, _basename in router.registry]


@pytest.mark.parametrize("prefix,viewset", API, ids=[prefix for prefix, _v in API])
def test_api_lists_and_opens_only_the_granted_record(jwt_client, granted_user, prefix, viewset):
    model = viewset.queryset.model
    a, b = two_records(model)
    grant(a, granted_user)
    api = jwt_client(granted_user)
    response = api.get(f"/api/v1/{prefix}/")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {a.pk}
    assert api.get(f"/api/v1/{prefix}/{a.pk}/").status_code == 200
    assert api.get(f"/api/v1/{prefix}/{b.pk}/").status_code == 404


@pytest.mark.parametrize("prefix,viewset", API, ids=[prefix for prefix, _v in API])
def test_api_user_without_grants_sees_nothing(jwt_client, roles, prefix, viewset):
    a, _b = two_records(viewset.queryset.model)
    api = jwt_client(UserFactory(username="nobody"))
    response = api.get(f"/api/v1/{prefix}/")
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert response.json()["results"] == []
    assert api.get(f"/api/v1/{prefix}/{a.pk}/").status_code in (403, 404)


@pytest.mark.parametrize("model", SCOPED, ids=MODEL_IDS)
def test_user_without_grants_sees_nothing(client, roles, model):
    a, _b = two_records(model)
    client.force_login(UserFactory(username="nobody"))
    assert client.get(url(model, "changelist")).status_code == 403
    assert client.get(url(model, "change", a.pk)).status_code == 404
    if model in EXPORTABLE:
        assert client.post(url(model, "export"), {"format": "0"}).status_code == 403
    for source, field_name in autocomplete_sources(model):
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": source._meta.app_label,
                "model_name": source._meta.model_name,
                "field_name": field_name,
                "term": "",
            },
        )
        assert response.status_code == 403, (source, field_name)


@pytest.mark.parametrize("model", SCOPED, ids=MODEL_IDS)
def test_read_only_role_cannot_change_anything(client, roles, model):
    a, _b = two_records(model)
    auditor = UserFactory(username="auditor-one")
    auditor.groups.add(Group.objects.get(name=AUDITOR))
    client.force_login(auditor)
    response = client.get(url(model, "change", a.pk))
    assert response.status_code == 200  # the auditor reads every record
    assert response.context["has_change_permission"] is False
    assert client.post(url(model, "change", a.pk), {}).status_code == 403
    assert client.post(url(model, "delete", a.pk), {"post": "yes"}).status_code == 403
    assert model._default_manager.filter(pk=a.pk).exists()
    try:
        add_url = url(model, "add")
    except NoReverseMatch:
        return
    assert client.get(add_url).status_code == 403


def detail_actions(model):
    model_admin = admin.site._registry[model]
    return list(model_admin._extract_action_names(model_admin.actions_detail or []))


@pytest.mark.parametrize("model", SCOPED, ids=MODEL_IDS)
def test_detail_actions_and_pdfs_refuse_other_records(client, granted_user, model):
    names = detail_actions(model)
    a, b = two_records(model)
    grant(a, granted_user)
    client.force_login(granted_user)
    before = model._default_manager.filter(pk=b.pk).values().get()
    for name in names:
        target = url(model, name, b.pk)
        for response in (client.get(target), client.post(target, {})):
            assert response.status_code in (403, 404), (name, response.status_code)
            assert response.get("Content-Type") != "application/pdf"
    after = model._default_manager.filter(pk=b.pk).values().get()
    assert after == before


WORKFLOW = [
    model for model in SCOPED if getattr(admin.site._registry[model], "workflow_actions", None)
]


@pytest.mark.parametrize("model", WORKFLOW, ids=[m._meta.label for m in WORKFLOW])
def test_view_grant_alone_moves_nothing(client, granted_user, model):
    """A record granted for viewing opens, but none of its workflow actions do."""
    a = two_records(model)[0]
    grant(a, granted_user, actions=("view",))
    client.force_login(granted_user)
    assert client.get(url(model, "change", a.pk)).status_code == 200
    before = model._default_manager.filter(pk=a.pk).values().get()
    for name in admin.site._registry[model].workflow_actions:
        for response in (
            client.get(url(model, name, a.pk)),
            client.post(url(model, name, a.pk), {}),
        ):
            assert response.status_code == 403, (name, response.status_code)
    assert model._default_manager.filter(pk=a.pk).values().get() == before


def foreign_keys_to_scoped_models():
    for source, source_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    ):
        if not isinstance(source_admin, ScopedAdminMixin):
            continue
        for field in source._meta.get_fields():
            if (
                getattr(field, "many_to_one", False)
                and field.concrete
                and field.editable
                and field.related_model in SCOPED
            ):
                yield source, field.name


FK_CHOICES = list(foreign_keys_to_scoped_models())


@pytest.mark.parametrize(
    "source,field_name", FK_CHOICES, ids=[f"{s._meta.label}.{f}" for s, f in FK_CHOICES]
)
def test_foreign_key_choices_offer_only_granted_records(rf, granted_user, source, field_name):
    """An agent cannot attach another agent's client (or unit, lease...) to a record."""
    target = source._meta.get_field(field_name).related_model
    a, b = two_records(target)
    grant(a, granted_user)
    request = rf.get("/admin/")
    request.user = granted_user
    form = admin.site._registry[source].get_form(request)
    if field_name not in form.base_fields:
        pytest.skip(f"{field_name} is not edited on the {source._meta.label} form")
    choices = form.base_fields[field_name].queryset
    assert choices.filter(pk=a.pk).exists()
    assert not choices.filter(pk=b.pk).exists()


# --- documents: whoever may see the record, on every path ----------------------------------
DOCUMENT_MODELS = sorted(document_models(), key=lambda model: model._meta.label)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def file_document(record, name):
    return document_add(
        record=record,
        kind="other",
        title=f"Document {name}",
        file=PDF,
        content_type="application/pdf",
        original_name=f"{name}.pdf",
    )


def test_every_kind_of_record_that_takes_documents_is_covered():
    assert {model._meta.label for model in DOCUMENT_MODELS} == {
        "clients.Client", "properties.Unit", "properties.Project", "sales.Reservation",
        "sales.SaleContract", "leasing.Lease", "finance.Payment", "finance.Receivable",
        "leasing.MaintenanceRequest", "finance.OwnerStatement", "leasing.Vendor",
    }  # fmt: skip


@pytest.mark.parametrize("model", DOCUMENT_MODELS, ids=[m._meta.label for m in DOCUMENT_MODELS])
def test_documents_follow_their_records_scope(
    client, jwt_client, granted_user, model, settings, tmp_path
):
    """A user granted record A sees A's document and never B's: on A's Documents tab, the
    documents list and its search, the document's page, the export, the file URL, the upload
    page and the API; everything of B answers 404, as if it did not exist."""
    settings.MEDIA_ROOT = tmp_path
    a, b = two_records(model)
    grant(a, granted_user)
    mine, theirs = file_document(a, "mine"), file_document(b, "theirs")
    client.force_login(granted_user)
    documents = url(Document, "changelist")

    tab = client.get(url(model, "change", a.pk)).content.decode()
    assert "Document mine" in tab and "Document theirs" not in tab
    assert listed_pks(client.get(documents)) == {mine.document.pk}
    assert listed_pks(client.get(documents, {"q": "theirs"})) == set()
    assert listed_pks(client.get(documents, {"q": "mine.pdf"})) == {mine.document.pk}
    assert client.get(url(Document, "change", mine.document.pk)).status_code == 200
    assert client.get(url(Document, "change", theirs.document.pk)).status_code == 404
    assert client.get(url(Document, "delete", theirs.document.pk)).status_code in (403, 404)
    export = client.post(url(Document, "export"), {"format": "0", "resource": "0"})
    assert [
        row["Title"]
        for row in csv.DictReader(
            io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))
        )
    ] == ["Document mine"]
    assert client.get(mine.file.url).status_code == 200
    assert client.get(theirs.file.url).status_code == 404
    content_type = ContentType.objects.get_for_model(model).pk
    upload = reverse("admin:documents_document_upload", args=[content_type, b.pk])
    assert client.get(upload).status_code == 404
    sent = SimpleUploadedFile("x.pdf", PDF)
    assert client.post(upload, {"kind": "other", "files": [sent]}).status_code == 404
    assert DocumentVersion.objects.count() == 2

    api = jwt_client(granted_user)
    listed = api.get("/api/v1/documents/").json()["results"]
    assert [row["id"] for row in listed] == [mine.document.pk]
    record_type = model._meta.label_lower
    query = {"record_type": record_type, "record_id": b.pk}
    assert api.get("/api/v1/documents/", query).status_code == 404
    assert api.get(f"/api/v1/documents/{theirs.document.pk}/").status_code == 404
    assert api.get(f"/api/v1/documents/{theirs.document.pk}/download/").status_code == 404
    assert api.get(theirs.file.url).status_code == 404
    assert api.get(f"/api/v1/documents/{mine.document.pk}/download/").status_code == 200


def test_user_without_grants_sees_no_document(client, roles, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    version = file_document(factories.ClientFactory(), "theirs")
    client.force_login(UserFactory(username="nobody"))
    assert client.get(url(Document, "changelist")).status_code == 403
    assert client.get(url(Document, "change", version.document.pk)).status_code == 404
    assert client.get(version.file.url).status_code == 404
