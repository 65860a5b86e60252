"""Read queries over documents."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from realestate.documents.models import Document, DocumentVersion


def documents_of(record: models.Model, user=None):
    """The documents of a record (those ``user`` may see, when given), newest first."""
    documents = Document.objects.all() if user is None else Document.objects.restrict(user)
    return documents.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
    ).prefetch_related("versions")


def current_version(document: Document) -> DocumentVersion | None:
    return document.versions.order_by("-number").first()
