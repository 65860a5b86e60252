"""Message templates: the subject and body of each kind of message per channel and language.
The change form shows the kind's placeholders and a preview over sample data beside the
editor; a save is checked in the documents' sandbox and refused with the field and line."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from realestate.notifications.admin.base import NotificationSetupAdmin
from realestate.notifications.choices import MessageKind
from realestate.notifications.configuration import (
    message_templates_ensure,
    placeholders_for,
    template_preview,
    template_problem,
)
from realestate.notifications.models import MessageTemplate


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ("kind", "channel", "language", "subject", "body")
        widgets = {
            "body": forms.Textarea(
                attrs={"rows": 14, "spellcheck": "false", "class": "re-code", "wrap": "soft"}
            )
        }

    def clean_subject(self):
        subject = self.cleaned_data.get("subject", "")
        problem = template_problem(subject, str(_("Subject")))
        if problem:
            raise forms.ValidationError(problem, code="template")
        return subject

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        problem = template_problem(body, str(_("Body")))
        if problem:
            raise forms.ValidationError(problem, code="template")
        return body


@admin.register(MessageTemplate)
class MessageTemplateAdmin(NotificationSetupAdmin):
    form = MessageTemplateForm
    export_columns = ["kind", "channel", "language", "subject", "body", ("updated_at", "Changed")]
    list_display = ("kind", "channel", "language", "subject", "updated_at")
    list_filter = ("kind", "channel", "language")
    search_fields = ("subject", "body")
    ordering = ("kind", "channel", "language")
    change_form_template = "admin/notifications/messagetemplate/change_form.html"
    compressed_fields = False
    fieldsets = ((None, {"fields": (("kind", "channel", "language"), "subject", "body")}),)

    class Media:
        css = {"all": ["documents/template_editor.css"]}
        js = ["notifications/message_template_editor.js"]

    def changelist_view(self, request, extra_context=None):
        # The shipped texts appear as rows the first time staff open the list (and after a
        # new kind ships): they edit what is sent, not a blank page.
        if request.method == "GET" and self.has_add_permission(request):
            message_templates_ensure()
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request, obj=None):
        # A template's kind, channel and language are what it is: change the text only.
        return ("kind", "channel", "language") if obj else ()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context.get("adminform").form if context.get("adminform") else None
        kind = obj.kind if obj else (form.data.get("kind") if form is not None else "")
        if obj is not None:
            subject, body = obj.subject, obj.body
        else:
            subject, body = "", ""
        if form is not None and form.is_bound:
            subject = form.data.get("subject", subject)
            body = form.data.get("body", body)
        kinds = [kind] if obj else MessageKind.values
        context.update(
            placeholder_sets=[
                {
                    "kind": value,
                    "label": MessageKind(value).label,
                    "placeholders": placeholders_for(value),
                }
                for value in kinds
            ],
            preview=template_preview(kind, subject, body) if kind else None,
            preview_url=reverse("admin:notifications_messagetemplate_preview"),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(require_POST(self.preview_view)),
                name="notifications_messagetemplate_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        """POST ``kind``, ``subject`` and ``body`` (unsaved): JSON with the rendered subject
        and text over sample data, or the problem naming its field and line."""
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        preview = template_preview(
            request.POST.get("kind", ""),
            request.POST.get("subject", ""),
            request.POST.get("body", ""),
        )
        return JsonResponse(
            {"subject": preview.subject, "text": preview.text, "problem": preview.problem}
        )
