"""The company behind every generated document: its profile (one record), the branches'
own address and phone, and the letterhead data a template gets as ``company``."""

from __future__ import annotations

import base64

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from realestate.core.uploads import content_type_for
from realestate.documents.models import BranchLetterhead, CompanyProfile

#: What a template finds under ``company``, shown beside the template editor.
COMPANY_PLACEHOLDERS = {
    "company.name": _("The trade name (the legal name when there is none)"),
    "company.legal_name": _("The legal name, as registered"),
    "company.trade_name": _("The trade name"),
    "company.licence_number": _("The trade licence number"),
    "company.tax_number": _("The tax registration number (TRN)"),
    "company.address": _("The address (the branch's own when it has one)"),
    "company.address_lines": _("The address, one line per item, for {% for %}"),
    "company.phone": _("The phone (the branch's own when it has one)"),
    "company.email": _("The e-mail address"),
    "company.website": _("The website"),
    "company.logo": _('The logo, for <img src="{{ company.logo }}">; empty when none'),
    "company.currency": _("The default currency (AED)"),
    "company.bank.name": _("The bank for transfers"),
    "company.bank.account_name": _("The bank account's name"),
    "company.bank.iban": _("The IBAN"),
    "company.bank.swift": _("The SWIFT / BIC code"),
    "company.branch": _("The branch's name, when the document is a branch's"),
}

DEFAULT_LEGAL_NAME = "Your company (edit the company profile)"


def company_profile() -> CompanyProfile:
    """The company profile; made (empty but for a name to replace) when there is none."""
    profile = CompanyProfile.objects.order_by("pk").first()
    if profile is None:
        with transaction.atomic():
            profile = CompanyProfile.objects.select_for_update().order_by("pk").first()
            if profile is None:
                profile = CompanyProfile.objects.create(legal_name=DEFAULT_LEGAL_NAME)
    return profile


_logo_cache: dict[str, str] = {}


def logo_data_uri(profile: CompanyProfile) -> str:
    """The logo as a ``data:`` URI (works with any storage, local or S3, and needs no file
    access while rendering); cached by file name, which changes with every upload."""
    name = profile.logo.name if profile.logo else ""
    if not name:
        return ""
    if name not in _logo_cache:
        try:
            with profile.logo.storage.open(name, "rb") as handle:
                data = handle.read()
        except (OSError, ValueError):
            return ""
        kind = content_type_for(name) or "application/octet-stream"
        _logo_cache.clear()
        _logo_cache[name] = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
    return _logo_cache[name]


def company_context(branch=None) -> dict:
    """The letterhead as plain data (strings only): the company profile, with the address
    and phone of ``branch``'s letterhead where it has its own."""
    profile = company_profile()
    address, phone = profile.address, profile.phone
    branch_name = ""
    if branch is not None:
        branch_name = branch.name
        own = BranchLetterhead.objects.filter(branch=branch).first()
        if own is not None:
            address = own.address or address
            phone = own.phone or phone
    return {
        "name": profile.trade_name or profile.legal_name,
        "legal_name": profile.legal_name,
        "trade_name": profile.trade_name,
        "licence_number": profile.licence_number,
        "tax_number": profile.tax_number,
        "address": address,
        "address_lines": [line.strip() for line in address.splitlines() if line.strip()],
        "phone": phone,
        "email": profile.email,
        "website": profile.website,
        "logo": logo_data_uri(profile),
        "currency": profile.currency,
        "bank": {
            "name": profile.bank_name,
            "account_name": profile.bank_account_name,
            "iban": profile.iban,
            "swift": profile.swift,
        },
        "branch": branch_name,
    }
