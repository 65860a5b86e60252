"""``/api/v1/documents/``: a record's documents, one document with its versions, and its file,
for those who may see the record; anybody else gets 404, as for a record that does not exist."""

from __future__ import annotations

import pytest

from realestate.core.permissions import grant
from realestate.documents.services import document_upload
from tests.documents.conftest import PDF, image_bytes, upload
from tests.factories import ClientFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(media):
    unit = UnitFactory()
    first = document_upload(record=unit, file=upload("plan.pdf", PDF), kind="other", title="Plan")
    second = document_upload(
        record=unit, file=upload("plan.png", image_bytes("PNG")), document=first.document
    )
    return unit, first.document, second


def test_a_records_documents_with_their_versions(jwt_client, superuser, filed):
    unit, document, newest = filed
    document_upload(record=ClientFactory(), file=upload("id.pdf", PDF), kind="id_scan")
    api = jwt_client(superuser)
    response = api.get(
        "/api/v1/documents/", {"record_type": "properties.unit", "record_id": unit.pk}
    )
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == document.pk and row["record_type"] == "properties.unit"
    assert row["record_id"] == unit.pk and row["expired"] is False
    assert [v["number"] for v in row["versions"]] == [2, 1]
    assert row["versions"][0]["sha256"] == newest.sha256
    assert row["versions"][0]["file_url"] == f"http://testserver{newest.file.url}"
    assert row["download_url"] == f"http://testserver/api/v1/documents/{document.pk}/download/"
    assert len(api.get("/api/v1/documents/").json()["results"]) == 2


def test_download_streams_the_current_or_a_chosen_version(jwt_client, superuser, filed):
    _unit, document, newest = filed
    api = jwt_client(superuser)
    response = api.get(f"/api/v1/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert 'attachment; filename="plan.png"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == image_bytes("PNG")
    first = api.get(f"/api/v1/documents/{document.pk}/download/", {"version": 1})
    assert first["Content-Type"] == "application/pdf"
    assert b"".join(first.streaming_content) == PDF
    assert api.get(f"/api/v1/documents/{document.pk}/download/", {"version": 9}).status_code == 404
    # The file URL the API gives works with the same token.
    assert api.get(newest.file.url).status_code == 200


def test_bad_parameters_are_named(jwt_client, superuser):
    api = jwt_client(superuser)
    response = api.get("/api/v1/documents/", {"record_type": "auth.user", "record_id": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == {"record_type", "record_id"}
    assert api.get("/api/v1/documents/", {"record_type": ""}).status_code == 200


def test_out_of_scope_is_404_on_every_api_path(jwt_client, roles, filed):
    unit, document, newest = filed
    other = UnitFactory()
    user = UserFactory(username="granted")
    grant(other, user)
    api = jwt_client(user)
    assert api.get("/api/v1/documents/").json()["results"] == []
    listed = api.get("/api/v1/documents/", {"record_type": "properties.unit", "record_id": unit.pk})
    assert listed.status_code == 404
    assert api.get(f"/api/v1/documents/{document.pk}/").status_code == 404
    assert api.get(f"/api/v1/documents/{document.pk}/download/").status_code == 404
    assert api.get(newest.file.url).status_code == 404
    grant(unit, user)
    assert api.get(f"/api/v1/documents/{document.pk}/").status_code == 200
