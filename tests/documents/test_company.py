"""The company profile: one record edited in the admin, a branch's own address and phone, and
the letterhead on every rendered document."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from realestate.documents import demo
from realestate.documents.company import company_context, company_profile
from realestate.documents.models import BranchLetterhead, CompanyProfile
from realestate.documents.rendering import render_pdf
from tests.documents.conftest import Draft, pdf_text
from tests.factories.accounts import BranchFactory

pytestmark = pytest.mark.django_db

LETTERHEAD = """
<header>{% if company.logo %}<img src="{{ company.logo }}" style="height: 20mm">{% endif %}
<h1>{{ company.name }}</h1><p>{{ company.legal_name }} · Licence {{ company.licence_number }}
· TRN {{ company.tax_number }}</p>
<p>{% for line in company.address_lines %}{{ line }}{% if not forloop.last %}, {% endif %}
{% endfor %}
· {{ company.phone }} · {{ company.email }}</p></header>
<p>Transfers to {{ company.bank.name }}, {{ company.bank.account_name }},
IBAN {{ company.bank.iban }}, SWIFT {{ company.bank.swift }}</p>
"""


def test_a_fresh_install_has_one_profile():
    # The data migration made it; asking again makes no second one.
    assert CompanyProfile.objects.count() == 1
    assert company_profile().pk == CompanyProfile.objects.get().pk
    CompanyProfile.objects.all().delete()
    assert company_profile().legal_name.startswith("Your company")
    assert CompanyProfile.objects.count() == 1


def test_the_demo_profile_is_seeded_once_with_its_logo():
    demo.company()
    profile = company_profile()
    logo = profile.logo.name
    assert profile.trade_name == "Marina Crest Properties"
    profile.phone = "+971 4 000 0000"
    profile.save()
    demo.company()  # a second run changes nothing
    profile.refresh_from_db()
    assert profile.phone == "+971 4 000 0000"
    assert profile.logo.name == logo
    assert CompanyProfile.objects.count() == 1


def test_the_letterhead_is_on_the_rendered_pdf(tmp_path):
    demo.company()
    content = render_pdf(Draft(body=LETTERHEAD), {})
    text = " ".join(pdf_text(content).split())
    assert "Marina Crest Properties" in text
    assert "Marina Crest Real Estate Development L.L.C. · Licence CN-1184527" in text
    assert "TRN 100 2345 6789 0003" in text
    assert "Office 1204, Marina Plaza, Dubai Marina, P.O. Box 48211" in text
    assert "IBAN AE070331234567890123456, SWIFT EBILAEAD" in text
    # The logo (a data: URI) is drawn: the PDF holds an image.
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(content)).pages[0]
    assert len(page.images) == 1


def test_a_branch_has_its_own_address_and_phone():
    demo.company()
    branch = BranchFactory(code="north", name="North office")
    assert company_context(branch)["phone"] == "+971 4 455 8120"
    BranchLetterhead.objects.create(branch=branch, address="Tower 9\nJLT", phone="")
    context = company_context(branch)
    assert context["address_lines"] == ["Tower 9", "JLT"]
    assert context["phone"] == "+971 4 455 8120"  # none of its own: the company's
    assert context["branch"] == "North office"
    assert context["name"] == "Marina Crest Properties"


def test_the_context_is_plain_strings():
    demo.company()
    context = company_context()

    def check(value):
        if isinstance(value, dict):
            for item in value.values():
                check(item)
        elif isinstance(value, list):
            for item in value:
                check(item)
        else:
            assert type(value) is str, value

    check(context)
    assert context["logo"].startswith("data:image/png;base64,")


# --- The admin: one record ---------------------------------------------------------------------


def test_the_list_opens_the_one_profile_and_nobody_adds_or_deletes(admin_client):
    profile = company_profile()
    response = admin_client.get("/admin/documents/companyprofile/")
    assert response.status_code == 200
    assert response.context["original"] == profile
    assert admin_client.get("/admin/documents/companyprofile/add/").status_code == 403
    delete = f"/admin/documents/companyprofile/{profile.pk}/delete/"
    assert admin_client.get(delete).status_code == 403
    assert CompanyProfile.objects.count() == 1


def test_the_profile_is_edited_in_the_admin_with_a_checked_logo(admin_client):
    profile = company_profile()
    url = f"/admin/documents/companyprofile/{profile.pk}/change/"
    data = {
        "legal_name": "Gulf Homes LLC",
        "trade_name": "Gulf Homes",
        "currency": "AED",
        "iban": "AE070331234567890123456",
    }
    not_an_image = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", "image/png")
    response = admin_client.post(url, {**data, "logo": not_an_image})
    assert response.status_code == 200
    assert "“logo.png” is not a readable image" in response.content.decode()

    from realestate.documents.demo import logo_png

    logo = SimpleUploadedFile("logo.png", logo_png(), "image/png")
    response = admin_client.post(url, {**data, "logo": logo})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.trade_name == "Gulf Homes" and profile.logo
    assert company_context()["logo"].startswith("data:image/png")
    page = admin_client.get(url).content.decode()
    assert 'src="data:image/png;base64,' in page  # the logo as printed


def test_the_logo_downloads_for_those_who_see_the_profile(client, roles, settings, tmp_path):
    from realestate.accounts.roles import ACCOUNTANT, SALES_AGENT
    from tests.factories import UserFactory

    demo.company()
    logo_url = company_profile().logo.url
    client.force_login(UserFactory(username="acc", roles=[ACCOUNTANT]))
    assert client.get(logo_url).status_code == 200  # the link on the profile's page works
    client.force_login(UserFactory(username="agt", roles=[SALES_AGENT]))
    assert client.get(logo_url).status_code == 404  # as for every file out of one's scope
