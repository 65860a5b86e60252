"""Two uploads of one kind and title at once make one document with two versions; a version
whose row cannot be written leaves no file behind."""

import pytest

from realestate.documents.models import Document, DocumentVersion
from realestate.documents.services import document_add
from tests.documents.conftest import PDF, stored_files
from tests.factories import ClientFactory
from tests.races import race, split


def add(client, n):
    return document_add(
        record=client,
        kind="id_scan",
        title="Passport",
        file=PDF,
        content_type="application/pdf",
        original_name=f"passport-{n}.pdf",
    )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_uploads_of_one_title_at_once_are_two_versions_of_one_document(media):
    for _ in range(3):
        client = ClientFactory()
        won, _lost = split(race(lambda c=client: add(c, 1), lambda c=client: add(c, 2)), Exception)
        assert len(won) == 2
        documents = Document.objects.filter(object_id=client.pk, title="Passport")
        assert documents.count() == 1
        assert sorted(documents.get().versions.values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_a_version_whose_row_fails_leaves_no_file(media, monkeypatch):
    client = ClientFactory()

    def refuse(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(DocumentVersion, "save", refuse)
    with pytest.raises(RuntimeError):
        add(client, 1)
    assert stored_files(media) == []
    assert not Document.objects.filter(object_id=client.pk).exists()
