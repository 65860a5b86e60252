"""The company profile (one record, opened directly) and the branches' letterheads."""

from __future__ import annotations

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from realestate.core.admin.base import BaseAdmin
from realestate.documents.company import company_profile, logo_data_uri
from realestate.documents.models import BranchLetterhead, CompanyProfile


@admin.register(CompanyProfile)
class CompanyProfileAdmin(BaseAdmin):
    """A single record: its list opens the record, nobody adds a second one or deletes it."""

    readonly_fields = ("logo_preview",)
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
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)
        profile = company_profile()
        return redirect(reverse("admin:documents_companyprofile_change", args=[profile.pk]))

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
class BranchLetterheadAdmin(BaseAdmin):
    list_display = ("branch", "address", "phone")
    autocomplete_fields = ("branch",)
