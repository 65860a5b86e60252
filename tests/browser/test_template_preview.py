"""A template's live preview in a real browser: editing the body changes the page image
shown beside the editor, and a broken template shows its line instead of a page."""

import pytest
from django.urls import reverse


@pytest.mark.django_db(transaction=True)
def test_editing_a_template_changes_its_preview(watched, live_server, log_in, tmp_path):
    from realestate.documents.choices import DocumentKind, TemplateKind
    from realestate.documents.kinds import KINDS, GeneratedKind
    from realestate.documents.models import DocumentTemplate
    from realestate.documents.template_services import template_save
    from realestate.properties.models import Unit
    from tests.factories import SuperUserFactory, UnitFactory

    page = watched
    KINDS[TemplateKind.FACT_SHEET] = GeneratedKind(
        kind=TemplateKind.FACT_SHEET,
        model=Unit,
        document_kind=DocumentKind.FACT_SHEET,
        title=lambda unit: unit.code,
        context=lambda unit: {"unit": {"code": unit.code}},
        placeholders={"unit.code": "The unit's code"},
    )
    try:
        SuperUserFactory(username="designer")
        UnitFactory(code="PREVIEW-7")
        template = DocumentTemplate(
            kind=TemplateKind.FACT_SHEET,
            name="Fact sheet",
            body="<h1>{{ company.name }}</h1>\n<p>Unit {{ unit.code }}</p>",
            is_active=True,
        )
        template_save(template=template)
        url = reverse("admin:documents_documenttemplate_change", args=[template.pk])

        log_in("designer", url)
        first = page.locator("#re-preview-pages img").first
        first.wait_for()
        before = first.get_attribute("src")
        assert "PREVIEW-7" in page.locator("#re-preview-record").inner_text()
        page.screenshot(path=str(tmp_path / "before.png"), full_page=True)

        page.fill(
            "#id_body",
            '<h1>{{ unit.code }}</h1>\n<div style="height: 200mm; background: #17324d"></div>',
        )
        page.wait_for_function(
            "src => { const i = document.querySelector('#re-preview-pages img');"
            " return i && i.src !== src && !document.querySelector('#re-preview-pages')"
            ".classList.contains('re-stale'); }",
            arg=before,
        )
        after = first.get_attribute("src")
        assert after != before
        page.screenshot(path=str(tmp_path / "after.png"), full_page=True)

        page.fill("#id_body", "<h1>ok</h1>\n\n{% include 'admin/base.html' %}")
        problem = page.locator("#re-preview-problem")
        problem.wait_for(state="visible")
        assert problem.inner_text().startswith("Line 3: The tag {% include %} is not allowed")
        page.screenshot(path=str(tmp_path / "problem.png"), full_page=True)

        assert template.versions.count() == 1  # previews save nothing
        assert page.violations == []
        assert page.console == []
        assert page.blocked_requests == []
    finally:
        KINDS.pop(TemplateKind.FACT_SHEET, None)
