"""Documents of records, their versions, and the templates generated documents come from.

A ``Document`` belongs to one record of any model that takes documents (a model says so with
``takes_documents = True``): a client, a unit, a contract... Each upload or generation adds a
``DocumentVersion`` (the file, its checksum, who and when); the old versions stay. Who may see
a document is who may see its record (``DocumentQuerySet.restrict``).
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from realestate.core.models import ProgressModel, TimeStampedModel
from realestate.core.permissions import q_or, scope_filter
from realestate.core.uploads import PhotoField
from realestate.documents.choices import DocumentKind, Language, PageSize, TemplateKind


def document_models() -> list[type[models.Model]]:
    """The models whose records take documents."""
    return [model for model in apps.get_models() if getattr(model, "takes_documents", False)]


class DocumentQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> DocumentQuerySet:
        """The documents of records ``user`` may see (or change), decided by each record's own
        scope (``scope_filter``, as its ``restrict``): every document of a kind of record the
        user sees entirely, one id subquery for a kind they see in part, none otherwise.
        Documents take no grants of their own."""
        conditions = []
        for model in document_models():
            scope = scope_filter(user, model, action)
            if scope is False:
                continue
            kind = Q(content_type=ContentType.objects.get_for_model(model))
            if scope is not None:
                kind &= Q(object_id__in=model._default_manager.filter(scope).values("pk"))
            conditions.append(kind)
        combined = q_or(conditions)
        return self.none() if combined is False else self.filter(combined)


class Document(TimeStampedModel):
    """A document of a record: its kind, title and versions (the newest is current)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("For identity documents: the client's page flags it once expired."),
    )

    objects = DocumentQuerySet.as_manager()
    #: No grants of its own: who may see a document is who may see its record.
    takes_grants = False
    #: ID scans, contracts: exporting the list needs ``accounts.export_personal_data``.
    personal_data = True

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["content_type", "object_id", "kind"])]
        constraints = [
            # A second upload of the same kind and title is a new version of this document,
            # even when two arrive at once (get_or_create meets this index and reads the row).
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "title"],
                name="document_unique_title",
            )
        ]

    def __str__(self):
        return self.title


def version_path(version: DocumentVersion, filename: str) -> str:
    document = version.document
    return (
        f"documents/{document.content_type.app_label}/{document.content_type.model}/"
        f"{document.object_id}/{document.pk}-v{version.number}-{filename}"
    )


class DocumentVersion(models.Model):
    """One file of a document: uploaded or generated, never changed afterwards."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, max_length=300)
    original_name = models.CharField(_("original name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    template_version = models.ForeignKey(
        "documents.DocumentTemplateVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("template version"),
        help_text=_("The template that generated this file; empty for an upload."),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True, db_index=True)

    #: Served under /media/ only to those who may see the document (core.files).
    file_owner = "document"

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"


class DocumentTemplate(TimeStampedModel):
    """The template staff edit for one kind of generated document, in one language. Each save
    is a new ``DocumentTemplateVersion``; at most one active template per kind and language."""

    kind = models.CharField(_("kind"), max_length=20, choices=TemplateKind.choices)
    name = models.CharField(_("name"), max_length=120)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    page_size = models.CharField(
        _("page size"), max_length=10, choices=PageSize.choices, default=PageSize.A4
    )
    body = models.TextField(_("body (HTML with placeholders)"))
    css = models.TextField(_("CSS"), blank=True)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        ordering = ["kind", "language", "name"]
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=Q(is_active=True),
                name="document_template_one_active",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_language_display()})"

    def validate_constraints(self, exclude=None):
        # Activating a template deactivates the other of its kind and language (the service
        # template_save does, under a lock): a form need not refuse a second active one.
        super().validate_constraints(exclude={*(exclude or ()), "is_active"})


class DocumentTemplateVersion(models.Model):
    """A template as it was saved: what a generated document records it was made from."""

    template = models.ForeignKey(
        DocumentTemplate, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField()
    css = models.TextField(blank=True)
    page_size = models.CharField(max_length=10, choices=PageSize.choices)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="document_template_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.template} v{self.number}"


def logo_path(profile: CompanyProfile, filename: str) -> str:
    return f"company/{filename}"


class CompanyProfile(TimeStampedModel):
    """The company behind every generated document: its letterhead. One record only (the
    admin opens it directly; ``company.company_profile`` makes it when missing)."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=60, blank=True)
    tax_number = models.CharField(_("tax registration number"), max_length=60, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = PhotoField(
        _("logo"),
        upload_to=logo_path,
        blank=True,
        help_text=_("JPEG, PNG or WebP; shown at the top of every generated document."),
    )
    bank_name = models.CharField(_("bank"), max_length=120, blank=True)
    bank_account_name = models.CharField(_("account name"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    swift = models.CharField(_("SWIFT / BIC"), max_length=11, blank=True)
    currency = models.CharField(
        _("default currency"), max_length=3, default=settings.DEFAULT_CURRENCY
    )

    #: The logo is served under /media/ to those who may see the profile (core.files).
    file_owner = "self"

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profile")

    def __str__(self):
        return self.trade_name or self.legal_name


class BranchLetterhead(TimeStampedModel):
    """A branch's own address and phone on the documents its deals generate (the rest of the
    letterhead is the company's)."""

    branch = models.OneToOneField(
        "accounts.Branch",
        on_delete=models.CASCADE,
        related_name="letterhead",
        verbose_name=_("branch"),
    )
    address = models.TextField(_("address"), blank=True, help_text=_("Empty: the company's."))
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, help_text=_("Empty: the company's.")
    )

    class Meta:
        ordering = ["branch__name"]
        verbose_name = _("branch letterhead")
        verbose_name_plural = _("branch letterheads")

    def __str__(self):
        return str(self.branch)


def batch_path(batch: GenerationBatch, filename: str) -> str:
    return f"documents/batches/{batch.created_at:%Y/%m}/{batch.pk}-{filename}"


class GenerationBatch(ProgressModel):
    """Documents of many records generated by a background job, as the user who asked (their
    scope), ending in one ZIP of the PDFs. Records whose PDF comes out unchanged are not
    filed again (``generation.document_generate``), so a batch run twice files nothing twice."""

    kind = models.CharField(_("kind"), max_length=20, choices=TemplateKind.choices)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    description = models.CharField(_("records"), max_length=255)
    record_ids = models.JSONField(_("record ids"), default=list)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    progress_owner_field = "created_by"
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True, db_index=True)
    file = models.FileField(_("ZIP"), upload_to=batch_path, max_length=300, blank=True)
    generated = models.PositiveIntegerField(_("filed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(
        _("skipped"), default=0, help_text=_("Records gone, or no longer in the user's scope.")
    )
    failed = models.PositiveIntegerField(_("failed"), default=0)
    errors = models.TextField(_("errors"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document batch")
        verbose_name_plural = _("document batches")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description}"
