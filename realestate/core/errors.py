"""Error pages (403, 404, 500) in the admin's look, with a way back; JSON under ``/api/``.

Staff see a refused or missing page inside the admin (sidebar and all); anybody else, and
every 500, get the login page's layout. The 500 page asks nothing of the database, the
session or the context processors (it may be the database that failed): it is rendered for
an anonymous stand-in of the request, and as plain HTML if even that fails.
"""

from __future__ import annotations

import copy
import logging

from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

TEMPLATE = "errors/error.html"
API_PREFIX = "/api/"


def _is_staff(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def _anonymous(request):
    """The request as seen by nobody in particular: the admin's context for it needs no
    session and no query (no sidebar, no permissions)."""
    quiet = copy.copy(request)
    quiet.user = AnonymousUser()
    return quiet


#: What the API answers, in Django REST framework's words.
API_MESSAGES = {
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    500: "A server error occurred.",
}


def error_page(
    request,
    status: int,
    title: str,
    message: str,
    icon: str,
    staff_allowed: bool = True,
    reason: str = "",
) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _(API_MESSAGES[status])}, status=status)
    home = reverse("admin:index")
    page = {
        "title": title,
        "message": message,
        "reason": reason,
        "icon": icon,
        "status": status,
        "home_url": home,
    }
    try:
        if staff_allowed and _is_staff(request):
            context = {
                **admin.site.each_context(request),
                **page,
                "base_template": "admin/base_site.html",
                "in_admin": True,
            }
            return render(request, TEMPLATE, context, status=status)
        context = {
            **admin.site.each_context(_anonymous(request)),
            **page,
            "base_template": "unfold/layouts/unauthenticated.html",
        }
        return HttpResponse(render_to_string(TEMPLATE, context), status=status)
    except Exception:  # noqa: BLE001 - an error page must answer whatever else is broken
        logger.exception("The %s page could not be rendered in the admin's look", status)
        return HttpResponse(
            f"<!DOCTYPE html><title>{escape(title)}</title><h1>{escape(title)}</h1>"
            f'<p>{escape(message)}</p><p><a href="{escape(home)}">{escape(_("Back office"))}'
            f"</a></p>",
            status=status,
        )


def permission_denied(request, exception=None):
    # A refusal that says why (a workflow step's rule: "... benefits you") shows its reason.
    return error_page(
        request,
        403,
        _("Not allowed"),
        _("You may not open this page. If your work needs it, ask an administrator for access."),
        "block",
        reason=str(exception or ""),
    )


def page_not_found(request, exception=None):
    return error_page(
        request,
        404,
        _("Not found"),
        _("There is no such page, or it is not one you may see."),
        "search_off",
    )


def server_error(request):
    return error_page(
        request,
        500,
        _("Something went wrong"),
        _(
            "The page could not be shown because of an error on our side. It has "
            "been logged; please try again in a moment."
        ),
        "error",
        staff_allowed=False,
    )
