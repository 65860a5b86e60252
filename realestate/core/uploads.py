"""Uploaded photos: JPEG, PNG or WebP only, checked by content and by name, within a size limit.

Pillow opens some 70 formats, and Django's ``ImageField`` accepts any of their extensions, so
a GIF named ``plan.pdf`` used to be stored and then served as a PDF. A photo is now accepted
only when Pillow reads it (``verify()``) as one of three formats, its extension names that same
format, and it is no larger than ``PHOTO_MAX_MB``; each refusal names the file. The served
content type is the one its (validated) extension names (``content_type_for``), never a guess.

``PhotoField`` is the model field for photos; ``validate_photo`` the check, for other uploads
(documents) to reuse.
"""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Pillow's format name -> the extensions a file of that format may carry.
PHOTO_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
#: Extension -> the content type files with it are served as.
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
FORMAT_LABELS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
#: Other files kept (documents, checked by content on upload): served as downloads only.
DOWNLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def content_type_for(name: str) -> str | None:
    """The content type of a stored photo, from its extension (validated on upload)."""
    return CONTENT_TYPES.get(extension(name))


def download_type_for(name: str) -> str | None:
    """The content type of a stored document that is not an image (a PDF, an Office file),
    from its extension (validated against its content on upload)."""
    return DOWNLOAD_TYPES.get(extension(name))


def _image_format(file) -> str | None:
    """Pillow's name for the file's format once ``verify()`` passes; None if unreadable."""
    from PIL import Image

    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            found = image.format
            image.verify()
    except Exception:  # noqa: BLE001 - any failure to read means "not an image we take"
        return None
    finally:
        file.seek(position)
    return found


def validate_photo(file) -> None:
    """Refuse anything but a JPEG, PNG or WebP photo whose name says what it is, up to
    ``PHOTO_MAX_MB``. A file already stored was checked when it came in."""
    if getattr(file, "_committed", False):
        return
    name = PurePath(file.name or "").name
    accepted = _("Photos must be JPEG (.jpg, .jpeg), PNG (.png) or WebP (.webp) images.")
    ext = extension(name)
    if ext not in CONTENT_TYPES:
        raise ValidationError(
            _("“%(name)s” is not a photo file. %(accepted)s"),
            code="photo_extension",
            params={"name": name, "accepted": accepted},
        )
    limit_mb = settings.PHOTO_MAX_MB
    if file.size is not None and file.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; a photo may be at most %(limit)s MB."),
            code="photo_size",
            params={"name": name, "size": file.size / 1024 / 1024, "limit": limit_mb},
        )
    found = _image_format(file)
    if found is None:
        raise ValidationError(
            _("“%(name)s” is not a readable image (damaged, or not an image at all). %(accepted)s"),
            code="photo_unreadable",
            params={"name": name, "accepted": accepted},
        )
    if found not in PHOTO_FORMATS:
        raise ValidationError(
            _("“%(name)s” is a %(format)s image. %(accepted)s"),
            code="photo_format",
            params={"name": name, "format": found, "accepted": accepted},
        )
    if ext not in PHOTO_FORMATS[found]:
        raise ValidationError(
            _(
                "“%(name)s” is a %(format)s image but its name ends in %(ext)s: rename it "
                "to %(expected)s."
            ),
            code="photo_mismatch",
            params={
                "name": name,
                "format": FORMAT_LABELS[found],
                "ext": ext,
                "expected": PHOTO_FORMATS[found][0],
            },
        )


class PhotoFormField(forms.FileField):
    """A file input offering photos only; the model field's ``validate_photo`` decides
    (Django's image field would refuse a bad file first, with a message naming no file)."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ",".join(sorted(set(CONTENT_TYPES.values()))))
        return attrs


class PhotoField(models.ImageField):
    """An image field for JPEG, PNG and WebP photos (see ``validate_photo``)."""

    default_validators = [validate_photo]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhotoFormField, **kwargs})
