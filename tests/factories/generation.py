"""Factories: document batches (the generated documents of many records)."""

import factory

from tests.factories.accounts import UserFactory


class GenerationBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "documents.GenerationBatch"

    kind = "invoice"
    description = "Invoices issued in the month: November 2026"
    record_ids = factory.LazyFunction(list)
    created_by = factory.SubFactory(UserFactory)
