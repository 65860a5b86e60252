"""Generating a record's document from its page and its list: filed as a version of the
record's document, again only when it changed; downloaded as filed (checksum); 404 for a
record out of the user's scope on every path."""

import hashlib
from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from realestate.core.workflow import StepRefused
from realestate.documents.generation import document_generate
from realestate.documents.models import Document, DocumentTemplate, DocumentVersion
from realestate.sales import services as sales
from tests.admin_steps import dialog
from tests.documents.conftest import pypdf_text as pdf_text
from tests.factories import ClientFactory, ReceivableFactory, SaleContractFactory, UnitFactory

pytestmark = pytest.mark.django_db


def documents_of(record):
    return Document.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
    )


def test_generating_files_a_version_with_its_template_version(contract, su):
    version = document_generate(record=contract, kind="sale_contract", by=su)
    assert version.generated_now and version.number == 1
    assert version.document.kind == "sale_contract"
    assert version.document.title == f"Sale contract {contract.number}"
    template = DocumentTemplate.objects.get(kind="sale_contract", is_active=True)
    assert version.template_version == template.versions.get(number=1)
    assert version.content_type == "application/pdf" and version.uploaded_by == su
    content = version.file.read()
    assert hashlib.sha256(content).hexdigest() == version.sha256
    assert "AED 2,300,000.00" in pdf_text(content)


def test_generating_again_files_a_new_version_only_when_it_changed(su):
    receivable = ReceivableFactory(amount=D("700.00"), description="Parking fee")
    first = document_generate(record=receivable, kind="invoice", by=su)
    again = document_generate(record=receivable, kind="invoice", by=su)
    assert again.pk == first.pk and not again.generated_now
    assert DocumentVersion.objects.filter(document=first.document).count() == 1

    receivable.description = "Parking fee 2027"
    receivable.save()
    changed = document_generate(record=receivable, kind="invoice", by=su)
    assert changed.generated_now and changed.number == 2
    assert "Parking fee 2027" in pdf_text(changed.file.read())

    # a new template version makes a new version too, recording that template version
    template = DocumentTemplate.objects.get(kind="invoice", language="en", is_active=True)
    template_v2 = template.versions.create(
        number=2,
        body=template.body.replace("Tax Invoice", "Invoice"),
        css=template.css,
        page_size=template.page_size,
    )
    newer = document_generate(record=receivable, kind="invoice", by=su)
    assert newer.number == 3 and newer.template_version == template_v2
    assert documents_of(receivable).count() == 1  # one document, its versions kept


def test_no_active_template_is_a_clear_refusal(su):
    from django.core.exceptions import ValidationError

    DocumentTemplate.objects.filter(kind="invoice").update(is_active=False)
    with pytest.raises(ValidationError, match="No active invoice template in English"):
        document_generate(record=ReceivableFactory(), kind="invoice", by=su)


def test_generate_button_files_the_pdf_and_links_the_filed_copy(c, contract):
    url = reverse("admin:sales_salecontract_generate_sale_contract", args=[contract.pk])
    assert url.endswith("/generate-sale-contract/")
    response = dialog(c, url)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("admin:sales_salecontract_change", args=[contract.pk])
    version = DocumentVersion.objects.get(document__in=documents_of(contract))

    page = c.get(response["HX-Redirect"])
    download = reverse("admin:documents_generationbatch_version", args=[version.pk])
    assert "generated: version 1" in page.content.decode()
    assert f'<a href="{download}"' in page.content.decode()  # a link, not escaped text

    served = c.get(download)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["X-Checksum-SHA256"] == version.sha256
    assert hashlib.sha256(served.content).hexdigest() == version.sha256

    dialog(c, url)  # nothing changed: nothing filed
    assert DocumentVersion.objects.filter(document__in=documents_of(contract)).count() == 1


def test_a_filed_copy_altered_on_disk_is_not_served(c, su):
    version = document_generate(record=ReceivableFactory(), kind="invoice", by=su)
    with open(version.file.path, "ab") as stored:
        stored.write(b"tampered")
    response = c.get(reverse("admin:documents_generationbatch_version", args=[version.pk]))
    assert response.status_code == 409


def test_statement_from_the_clients_page_for_a_period(c):
    client = ClientFactory(name="Karim Aziz")
    ReceivableFactory(client=client, amount=D("900.00"), issue_date=date(2026, 3, 3))
    url = reverse("admin:clients_client_generate_statement", args=[client.pk])
    response = dialog(c, url, start="2026-01-01", end="2026-06-30")
    assert response.status_code == 200, response.content[:500]
    document = documents_of(client).get()
    assert document.title == "Statement of account Karim Aziz 2026-01-01 to 2026-06-30"
    text = " ".join(pdf_text(document.versions.get().file.read()).split())
    assert "1 January 2026 to 30 June 2026" in text and "Closing balance AED 900.00" in text

    refused = dialog(c, url, start="2026-06-30", end="2026-01-01")
    assert "The period ends before it starts" in refused.content.decode()
    assert documents_of(client).count() == 1


# --- scope -------------------------------------------------------------------------------
@pytest.fixture
def contracts_of_two_agents(agent1, agent2):
    def contract_of(agent, code):
        unit = UnitFactory(code=code, agent=agent, list_price=D("900000"))
        return sales.contract_create(unit=unit, buyer=ClientFactory(), price=D("900000"))

    return contract_of(agent1, "A1-SC"), contract_of(agent2, "A2-SC")


def test_generate_out_of_scope_is_404_and_files_nothing(client, agent1, contracts_of_two_agents):
    mine, theirs = contracts_of_two_agents
    client.force_login(agent1)
    url = reverse("admin:sales_salecontract_generate_sale_contract", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert dialog(client, url).status_code == 404
    assert not documents_of(theirs).exists()
    with pytest.raises(StepRefused):
        document_generate(record=theirs, kind="sale_contract", by=agent1)
    assert not documents_of(theirs).exists()

    assert dialog(client, url.replace(str(theirs.pk), str(mine.pk), 1)).status_code == 200
    assert documents_of(mine).count() == 1


def test_download_of_a_document_out_of_scope_is_404(client, agent1, contracts_of_two_agents):
    _mine, theirs = contracts_of_two_agents
    version = document_generate(record=theirs, kind="sale_contract")
    client.force_login(agent1)
    url = reverse("admin:documents_generationbatch_version", args=[version.pk])
    assert client.get(url).status_code == 404


def test_bulk_generate_of_rows_out_of_scope_is_404(client, agent1, contracts_of_two_agents):
    mine, theirs = contracts_of_two_agents
    client.force_login(agent1)
    changelist = reverse("admin:sales_salecontract_changelist")
    response = client.post(
        changelist,
        {"action": "generate_sale_contract_selected", "_selected_action": [mine.pk, theirs.pk]},
    )
    assert response.status_code == 404
    from realestate.documents.models import GenerationBatch

    assert not GenerationBatch.objects.exists()

    response = client.post(
        changelist, {"action": "generate_sale_contract_selected", "_selected_action": [mine.pk]}
    )
    batch = GenerationBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:documents_generationbatch_change", args=[batch.pk]
    )
    assert batch.record_ids == [mine.pk] and batch.created_by == agent1


@pytest.mark.parametrize(
    "body,message",
    [
        ("<p>{% if %}</p>", "Line 1"),
        ("<p>ok</p>\n<p>{{ invoice.number|default:company.nothing_here }}</p>", "nothing_here"),
    ],
)
def test_a_broken_template_says_why_and_files_nothing(c, body, message):
    receivable = ReceivableFactory()
    template = DocumentTemplate.objects.get(kind="invoice", language="en", is_active=True)
    template.versions.create(number=2, body=body, css="", page_size="A4")
    url = reverse("admin:finance_receivable_generate_invoice", args=[receivable.pk])
    response = dialog(c, url)
    assert response.status_code == 200
    page = c.get(response["HX-Redirect"]).content.decode()
    assert message in page
    assert not documents_of(receivable).exists()


def test_a_batch_lists_what_failed_and_why(su):
    from realestate.documents import batches

    made = [ReceivableFactory(issue_date=date(2026, 11, 2)) for _ in range(2)]
    template = DocumentTemplate.objects.get(kind="invoice", language="en", is_active=True)
    template.versions.create(number=2, body="{% for %}", css="", page_size="A4")
    batch = batches.month_batch_start(kind="invoice", month=date(2026, 11, 1), by=su)
    batch = batches.batch_run(batch)
    assert (batch.generated, batch.failed, batch.status) == (0, 2, "failed")
    assert all(str(r) in batch.errors for r in made)
    assert "Line 1" in batch.errors
    assert not DocumentVersion.objects.exists()


def test_the_bilingual_invoice_is_a_document_of_its_own(c):
    receivable = ReceivableFactory(amount=D("2500.00"))
    url = reverse("admin:finance_receivable_generate_invoice", args=[receivable.pk])
    dialog_page = c.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'value="en-ar"' in dialog_page  # two active templates: the dialog asks which
    dialog(c, url, language="en-ar")
    dialog(c, url)  # English, the default
    titles = sorted(documents_of(receivable).values_list("title", flat=True))
    assert titles == [
        f"Invoice {receivable.number}",
        f"Invoice {receivable.number} (English and Arabic)",
    ]
    bilingual = documents_of(receivable).get(title__endswith="(English and Arabic)")
    text = " ".join(pdf_text(bilingual.versions.get().file.read()).split())
    assert "فاتورة ضريبية" in text and "ألفان و خمسمائة درهم إماراتي فقط لا غير" in text
    assert "Total المجموع AED 2,500.00" in text


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_generations_at_once_file_one_version():
    from realestate.documents.defaults import default_templates_install
    from tests.races import race

    default_templates_install()  # a transactional test starts from an empty database
    receivable = ReceivableFactory()
    outcomes = race(
        *(lambda: document_generate(record=receivable, kind="invoice") for _ in range(3))
    )
    assert all(isinstance(outcome, DocumentVersion) for outcome in outcomes), outcomes
    assert sum(outcome.generated_now for outcome in outcomes) == 1
    assert DocumentVersion.objects.count() == 1 and documents_of(receivable).count() == 1


def test_generate_without_an_active_template_says_so(c):
    DocumentTemplate.objects.filter(kind="sale_contract").update(is_active=False)
    contract = SaleContractFactory()
    url = reverse("admin:sales_salecontract_generate_sale_contract", args=[contract.pk])
    response = dialog(c, url)
    page = c.get(response["HX-Redirect"]).content.decode()
    assert "No active sale contract template in English" in page
    assert not documents_of(contract).exists()
