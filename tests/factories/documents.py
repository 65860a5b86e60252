"""Factories: documents of records and their versions (the version's file is only named, not
written: pages list it, and tests that read files upload them through the services)."""

import factory
from django.contrib.contenttypes.models import ContentType

from realestate.documents.models import Document, DocumentVersion
from tests.factories.clients import ClientFactory


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        exclude = ["record"]
        skip_postgeneration_save = True

    record = factory.SubFactory(ClientFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.record))
    object_id = factory.LazyAttribute(lambda o: o.record.pk)
    kind = "id_scan"
    title = factory.Sequence(lambda n: f"Passport {n}")
    version = factory.RelatedFactory(
        "tests.factories.documents.DocumentVersionFactory", factory_related_name="document"
    )


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(DocumentFactory, version=None)
    number = 1
    file = factory.Sequence(lambda n: f"documents/factory/passport-{n}.pdf")
    original_name = "passport.pdf"
    size = 48213
    content_type = "application/pdf"
    sha256 = "0" * 64
