"""Uploaded files (unit photos, maintenance photos, documents) go only to those who may see
the record they belong to.

A model holding files names the record whose scope decides (``file_owner = "unit"``, or
``"self"`` for the row's own, as the company profile's logo; a document's version names its
document, whose ``restrict`` follows the document's record). With
local storage every file under ``MEDIA_URL`` is served by ``protected_media``, which finds the
row holding the file and answers only if ``restrict(user, "view")`` reaches its owner, for a
staff session or an API token alike; anything else is a plain 404, as for a missing file.
Files are served as the type their extension names (``core.uploads``), with ``nosniff``.
With S3 storage, file links are signed and expire (``AWS_QUERYSTRING_AUTH``).
"""

from __future__ import annotations

import functools
from pathlib import PurePath

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse, Http404
from django.views.decorators.cache import never_cache
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.settings import api_settings
from rest_framework_simplejwt.authentication import JWTAuthentication

from realestate.core.uploads import content_type_for, download_type_for


@functools.cache
def file_holders() -> tuple:
    """(model, owner field, file fields) for every model that declares ``file_owner``."""
    return tuple(
        (
            model,
            model.file_owner,
            [
                field.name
                for field in model._meta.concrete_fields
                if isinstance(field, models.FileField)
            ],
        )
        for model in apps.get_models()
        if getattr(model, "file_owner", None)
    )


def _user(request):
    if request.user.is_authenticated:
        return request.user
    # The API's own token authentication (it refuses revoked tokens), not simplejwt's.
    token_auth = next(
        cls
        for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES
        if issubclass(cls, JWTAuthentication)
    )
    try:
        found = token_auth().authenticate(request)
    except AuthenticationFailed:
        return None
    return found[0] if found else None


def may_see_file(user, name: str) -> bool:
    if user is None:
        return False
    for model, owner, fields in file_holders():
        for field in fields:
            if owner == "self":  # the row's own scope decides (the company's logo)
                rows = model._default_manager.filter(**{field: name})
                if not rows.exists():
                    continue
                return rows.restrict(user, "view").exists()
            row = model._default_manager.filter(**{field: name}).values(f"{owner}_id").first()
            if row is None:
                continue
            owner_model = model._meta.get_field(owner).related_model
            return (
                owner_model._default_manager.restrict(user, "view")
                .filter(pk=row[f"{owner}_id"])
                .exists()
            )
    return False


@never_cache
def protected_media(request, path: str):
    if not may_see_file(_user(request), path) or not default_storage.exists(path):
        raise Http404("No such file, or not one you may see.")
    # The type its validated extension names, never a guess from the content. Images show
    # in the page; documents (PDF, Office) and anything else are offered for download only.
    content_type = content_type_for(path)
    response = FileResponse(
        default_storage.open(path, "rb"),
        filename=PurePath(path).name,
        content_type=content_type or download_type_for(path) or "application/octet-stream",
        as_attachment=content_type is None,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response
