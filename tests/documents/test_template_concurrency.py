"""Two templates of one kind and language activated at the same moment: one stays active."""

import pytest

from realestate.documents.models import DocumentTemplate
from realestate.documents.template_services import template_activate, template_save
from tests.races import race, split

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_activations_at_once_leave_one_active():
    templates = []
    for name in ("A", "B", "C"):
        template = DocumentTemplate(kind="invoice", name=name, language="en", body=name)
        template_save(template=template)
        templates.append(template)
    template_activate(template=templates[0])

    outcomes = race(
        lambda: template_activate(template=DocumentTemplate.objects.get(name="B")),
        lambda: template_activate(template=DocumentTemplate.objects.get(name="C")),
    )

    done, failed = split(outcomes, Exception)
    assert len(done) == 2 and failed == []
    active = DocumentTemplate.objects.filter(kind="invoice", language="en", is_active=True)
    assert active.count() == 1
    assert active.get().name in {"B", "C"}
