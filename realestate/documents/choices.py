from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    ID_SCAN = "id_scan", _("ID or passport scan")
    TITLE_DEED = "title_deed", _("Title deed")
    SALE_CONTRACT = "sale_contract", _("Sale contract")
    SIGNED_CONTRACT = "signed_contract", _("Signed contract")
    RESERVATION_FORM = "reservation_form", _("Reservation form")
    LEASE_AGREEMENT = "lease_agreement", _("Lease agreement")
    INVOICE = "invoice", _("Invoice")
    RECEIPT = "receipt", _("Receipt")
    STATEMENT = "statement", _("Statement of account")
    OWNER_STATEMENT = "owner_statement", _("Owner statement")
    FACT_SHEET = "fact_sheet", _("Unit fact sheet")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other")


#: Kinds of documents the back office generates from templates (the rest are uploaded).
class TemplateKind(models.TextChoices):
    SALE_CONTRACT = "sale_contract", _("Sale contract")
    RESERVATION_FORM = "reservation_form", _("Reservation form")
    LEASE_AGREEMENT = "lease_agreement", _("Lease agreement")
    INVOICE = "invoice", _("Invoice")
    STATEMENT = "statement", _("Statement of account")
    RECEIPT = "receipt", _("Receipt")
    OWNER_STATEMENT = "owner_statement", _("Owner statement")
    FACT_SHEET = "fact_sheet", _("Unit fact sheet")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    BILINGUAL = "en-ar", _("English and Arabic")


class PageSize(models.TextChoices):
    A4 = "A4", _("A4")
    LETTER = "letter", _("US Letter")
