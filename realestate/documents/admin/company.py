"""The company profile (one record, opened directly) and the branches' letterheads."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from realestate.core.admin.base import MissingIs404Mixin
from realestate.documents.company import company_profile, logo_data_uri
from realestate.documents.models import BranchLetterhead, CompanyProfile


class SettingsAdmin(MissingIs404Mixin, ModelAdmin):
    """Records of the company's set-up (the profile, letterheads, templates): whoever holds
    the model's permission reaches every row, so they take no grants by record."""

    list_per_page = 50
    list_filter_submit = True
    warn_unsaved_form = True


@admin.register(CompanyProfile)
class CompanyProfileAdmin(SettingsAdmin):
    """A single record: its list opens the record, nobody adds a second one or deletes it."""

    #: Its list is the one record's page.
    single_record = True
    readonly_fields = ("logo_preview",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (
            _("Company"),
            {"fields": ("legal_name", "trade_name", "licence_number", "tax_number", "currency")},
        ),
        (_("Contact"), {"fields": ("address", "phone", "email", "website")}),
        (_("Logo"), {"fields": ("logo", "logo_preview")}),
        (
            _("Bank details for transfers"),
            {"fields": ("bank_name", "bank_account_name", "iban", "swift")},
        ),
    )

    def changelist_view(self, request, extra_context=None):
        """The list is the one record's page (the sidebar's link opens it)."""
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)
        return self.change_view(request, str(company_profile().pk), extra_context=extra_context)

    def response_post_save_change(self, request, obj):
        return redirect(reverse("admin:documents_companyprofile_changelist"))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CompanyProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Logo as printed"))
    def logo_preview(self, obj):
        uri = logo_data_uri(obj) if obj else ""
        if not uri:
            return "—"
        return format_html('<img src="{}" alt="" style="max-height:80px">', uri)


@admin.register(BranchLetterhead)
class BranchLetterheadAdmin(SettingsAdmin):
    list_display = ("branch", "address", "phone")
    autocomplete_fields = ("branch",)
