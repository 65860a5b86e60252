"""Admin pages that belong to no model admin."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" shortcut (``/admin/r/<content type>/<id>/``), for records
    the user may see: Django's own redirects to any record's page, which told a record out of
    scope (302) from a missing one (404). Anything the user may not see is a 404 here."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        model = None
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        raise Http404(_("No such record, or not one you may see."))
    manager = model._default_manager
    if hasattr(manager, "restrict"):
        visible = manager.restrict(request.user, "view")
    elif model_admin.has_view_or_change_permission(request):
        visible = manager.all()
    else:
        visible = manager.none()
    try:
        found = visible.filter(pk=object_id).exists()
    except (ValueError, ValidationError):
        found = False
    if not found:
        raise Http404(_("No such record, or not one you may see."))
    return shortcut(request, content_type_id, object_id)
