"""Factories: documents of records and their versions (the version's file is only named, not
written: pages list it, and tests that read files upload them through the services); the
company profile (one record: the factory fills in the one there is), branch letterheads and
templates."""

import factory
from django.contrib.contenttypes.models import ContentType

from realestate.documents.models import (
    BranchLetterhead,
    CompanyProfile,
    Document,
    DocumentTemplate,
    DocumentVersion,
)
from tests.factories.accounts import BranchFactory
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


class CompanyProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyProfile

    legal_name = "Marina Crest Real Estate Development L.L.C."
    trade_name = "Marina Crest Properties"
    licence_number = "CN-1184527"
    tax_number = "100 2345 6789 0003"
    iban = "AE070331234567890123456"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from realestate.documents.company import company_profile

        profile = company_profile()
        for name, value in kwargs.items():
            setattr(profile, name, value)
        profile.save()
        return profile


class BranchLetterheadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BranchLetterhead

    branch = factory.SubFactory(BranchFactory)
    address = factory.Sequence(lambda n: f"Office {n}, Business Bay\nDubai")
    phone = factory.Sequence(lambda n: f"+971 4 555 {n:04d}")


class DocumentTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentTemplate

    kind = "invoice"
    name = factory.Sequence(lambda n: f"Invoice template {n}")
    language = "en"
    body = "<h1>{{ company.name }}</h1>"
    is_active = False
