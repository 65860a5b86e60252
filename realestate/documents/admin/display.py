"""How a document shows in lists and on a record's Documents tab: its current version with a
download link, its size, who uploaded it and when, its expiry (flagged once past) and every
version, each with its own link."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.decorators import display

from realestate.core.admin import DANGER, WARNING, label_html, link
from realestate.documents.models import Document, DocumentVersion


def versions_of(document: Document) -> list[DocumentVersion]:
    """Newest first (``versions`` is prefetched by the lists that show documents)."""
    return sorted(document.versions.all(), key=lambda version: -version.number)


def current(document: Document) -> DocumentVersion | None:
    versions = versions_of(document)
    return versions[0] if versions else None


def download_url(version: DocumentVersion) -> str:
    """The file's URL: under /media/, served only to those who may see the record
    (``core.files``); with S3 storage, a signed link that expires (``AWS_QUERYSTRING_EXPIRE``)."""
    return version.file.url


def current_link(document: Document):
    version = current(document)
    if version is None:
        return "—"
    return format_html(
        '{} <span class="text-base-500">v{}</span>',
        link(download_url(version), version.original_name),
        version.number,
    )


def size(document: Document) -> str:
    version = current(document)
    return filesizeformat(version.size) if version else "—"


def uploaded(document: Document):
    version = current(document)
    if version is None:
        return "—"
    return format_html(
        '{}<br><span class="text-base-500">{}</span>',
        version.uploaded_by or _("the system"),
        date_format(timezone.localtime(version.created_at), "SHORT_DATETIME_FORMAT"),
    )


def is_expired(document: Document) -> bool:
    return document.expires_on is not None and document.expires_on < timezone.localdate()


def expiry(document: Document):
    if document.expires_on is None:
        return "—"
    text = date_format(document.expires_on, "SHORT_DATE_FORMAT")
    if is_expired(document):
        return format_html("{} {}", text, label_html(_("Expired"), DANGER))
    if (document.expires_on - timezone.localdate()).days <= 30:
        return format_html("{} {}", text, label_html(_("Expires soon"), WARNING))
    return text


def versions(document: Document):
    return (
        format_html_join(
            " · ",
            '<a href="{}" class="text-primary-600 dark:text-primary-500 hover:underline" '
            'title="{} ({}, {})">v{}</a>',
            (
                (
                    download_url(version),
                    version.original_name,
                    filesizeformat(version.size),
                    date_format(timezone.localtime(version.created_at), "SHORT_DATETIME_FORMAT"),
                    version.number,
                )
                for version in versions_of(document)
            ),
        )
        or "—"
    )


class DocumentColumns:
    """The columns a document shows in the documents list and on a record's Documents tab."""

    @display(description=gettext_lazy("Current file"))
    def current_display(self, obj):
        return current_link(obj)

    @display(description=gettext_lazy("Size"))
    def size_display(self, obj):
        return size(obj)

    @display(description=gettext_lazy("Uploaded"))
    def uploaded_display(self, obj):
        return uploaded(obj)

    @display(description=gettext_lazy("Expires"), ordering="expires_on")
    def expiry_display(self, obj):
        return expiry(obj)
