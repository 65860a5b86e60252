"""Document templates: the editor (body and CSS), the placeholders of its kind beside it, a
live preview against a record the user may see, and the versions every save makes."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from realestate.core.admin.base import ReadOnlyInline
from realestate.documents.admin.company import SettingsAdmin
from realestate.documents.choices import Language, PageSize, TemplateKind
from realestate.documents.company import COMPANY_PLACEHOLDERS
from realestate.documents.kinds import KINDS
from realestate.documents.models import DocumentTemplate, DocumentTemplateVersion
from realestate.documents.preview import Draft, preview_render
from realestate.documents.sandbox import TemplateProblem, compile_body
from realestate.documents.template_services import template_save

#: How many of a kind's records the preview's list offers (the newest; a search finds others).
PREVIEW_RECORDS = 30


class CodeArea(forms.Textarea):
    def __init__(self, rows=28):
        super().__init__(
            attrs={"rows": rows, "spellcheck": "false", "class": "re-code", "wrap": "off"}
        )


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ("kind", "name", "language", "page_size", "is_active", "body", "css")
        widgets = {"body": CodeArea(rows=30), "css": CodeArea(rows=12)}

    def clean_body(self):
        body = self.cleaned_data["body"]
        try:
            compile_body(body)
        except TemplateProblem as problem:
            raise forms.ValidationError(str(problem), code="template") from None
        return body


class VersionInline(ReadOnlyInline):
    model = DocumentTemplateVersion
    fields = ("number", "saved_by", "created_at", "page_size", "length")
    readonly_fields = fields
    extra = 0
    ordering = ("-number",)
    verbose_name = _("version")
    verbose_name_plural = _("versions (each save makes one)")

    @admin.display(description=_("body and CSS"))
    def length(self, obj):
        return format_html(
            '<details><summary>{}</summary><pre class="re-version-text">{}</pre>'
            '<pre class="re-version-text">{}</pre></details>',
            _("%(count)s characters") % {"count": len(obj.body)},
            obj.body,
            obj.css or "",
        )

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("documents.view_documenttemplate")


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(SettingsAdmin):
    form = DocumentTemplateForm
    list_display = ("name", "kind", "language", "page_size", "is_active", "version", "updated_at")
    list_filter = ("kind", "language", "is_active")
    search_fields = ("name",)
    inlines = [VersionInline]
    change_form_template = "admin/documents/documenttemplate/change_form.html"
    compressed_fields = False
    fieldsets = (
        (None, {"fields": (("kind", "language"), ("name", "page_size"), "is_active")}),
        (_("Template"), {"fields": ("body", "css")}),
    )

    class Media:
        css = {"all": ["documents/template_editor.css"]}
        js = ["documents/template_editor.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(last_version=Max("versions__number"))

    @admin.display(description=_("version"), ordering="last_version")
    def version(self, obj):
        return getattr(obj, "last_version", None) or "—"

    def save_model(self, request, obj, form, change):
        template_save(template=obj, by=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A save that lost a race (another template made active at the same moment) is
        # rolled back and said, not a server error.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(request.get_full_path())

    # --- The editor's side: placeholders and the preview -------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            placeholder_sets=self.placeholder_sets(),
            company_placeholders=COMPANY_PLACEHOLDERS.items(),
            preview_url=reverse("admin:documents_documenttemplate_preview"),
            records_url=reverse("admin:documents_documenttemplate_records"),
            may_preview=self.may_preview(request),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def placeholder_sets():
        """Each template kind with its placeholders and their meaning (none registered: an
        empty list, which the page says)."""
        sets = []
        for kind, label in TemplateKind.choices:
            spec = KINDS.get(kind)
            sets.append(
                {
                    "kind": kind,
                    "label": label,
                    "model": spec.model._meta.verbose_name if spec else "",
                    "placeholders": sorted(spec.placeholders.items()) if spec else [],
                }
            )
        return sets

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="documents_documenttemplate_preview",
            ),
            path(
                "preview/records/",
                self.admin_site.admin_view(self.records_view),
                name="documents_documenttemplate_records",
            ),
            *super().get_urls(),
        ]

    def may_preview(self, request) -> bool:
        return self.has_change_permission(request) or self.has_add_permission(request)

    def _record(self, request, kind: str, pk):
        """The record of ``kind``'s model with ``pk``, if the user may see it; 404 for any
        other (missing and out of scope look the same)."""
        spec = KINDS.get(kind)
        if spec is None or pk in (None, ""):
            return None
        try:
            return spec.model._default_manager.restrict(request.user, "view").get(pk=int(pk))
        except (ValueError, TypeError, spec.model.DoesNotExist):
            raise Http404(_("No such record, or not one you may see.")) from None

    @staticmethod
    def _label(record) -> str:
        return str(record)

    @staticmethod
    def _choice(form_value, choices, default):
        return form_value if form_value in dict(choices) else default

    @staticmethod
    def _branch_of(record):
        agent = getattr(record, "agent", None)
        profile = getattr(agent, "agent_profile", None) if agent else None
        return getattr(profile, "branch", None)

    def preview_view(self, request):
        """POST the editor's unsaved fields (and ``record``): JSON with the first pages as
        images, or the template's problem and its line."""
        return require_POST(self._preview)(request)

    def _preview(self, request):
        if not self.may_preview(request):
            raise PermissionDenied
        data = request.POST
        kind = self._choice(data.get("kind"), TemplateKind.choices, "")
        if not kind:
            return JsonResponse({"error": str(_("Choose the template's kind."))}, status=400)
        record = self._record(request, kind, data.get("record"))
        draft = Draft(
            kind=kind,
            language=self._choice(data.get("language"), Language.choices, Language.ENGLISH),
            page_size=self._choice(data.get("page_size"), PageSize.choices, PageSize.A4),
            body=data.get("body", ""),
            css=data.get("css", ""),
        )
        preview = preview_render(draft, record, branch=self._branch_of(record))
        payload = preview.as_json()
        payload["record"] = self._label(record) if record is not None else ""
        return JsonResponse(payload)

    def records_view(self, request):
        """GET ``?kind=...&q=...``: the records of the kind's model the user may see (the
        newest, or those the model's admin search finds), for the preview's list."""
        return require_GET(self._records)(request)

    def _records(self, request):
        if not self.may_preview(request):
            raise PermissionDenied
        spec = KINDS.get(request.GET.get("kind", ""))
        if spec is None:
            return JsonResponse({"records": [], "registered": False})
        records = spec.model._default_manager.restrict(request.user, "view")
        query = request.GET.get("q", "").strip()
        model_admin = self.admin_site._registry.get(spec.model)
        if query and model_admin is not None:
            records, _duplicates = model_admin.get_search_results(request, records, query)
        rows = records.order_by("-pk")[:PREVIEW_RECORDS]
        return JsonResponse(
            {
                "records": [{"id": row.pk, "label": self._label(row)} for row in rows],
                "registered": True,
                "model": str(spec.model._meta.verbose_name),
            }
        )
