"""Factories of the documents app's set-up records: the company profile (one record: the
factory fills in the one there is), branch letterheads and templates."""

import factory

from realestate.documents.models import BranchLetterhead, CompanyProfile, DocumentTemplate
from tests.factories.accounts import BranchFactory


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
