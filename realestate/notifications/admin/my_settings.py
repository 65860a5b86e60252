"""The signed-in staff user's own notification settings: a topic × channel table of
checkboxes (a legal notice's in-app and e-mail shown fixed on), saved through
``configuration.notification_preferences_save``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from realestate.notifications.configuration import (
    legal_kinds,
    notification_preferences_save,
    preferences_table,
)


def _changes(table: list[dict], posted) -> dict[str, dict[str, bool]]:
    """The boxes whose state the form changed: ``{topic: {channel: on}}``. Only these are
    saved as the person's choice; the rest keep following the company's defaults."""
    changes: dict[str, dict[str, bool]] = {}
    for row in table:
        for cell in row["channels"]:
            if cell["fixed"]:
                continue
            on = f"{row['topic']}:{cell['channel']}" in posted
            if on != cell["on"]:
                changes.setdefault(row["topic"], {})[cell["channel"]] = on
    return changes


@never_cache
@csrf_protect
def notification_settings(request):
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    table = preferences_table(user)
    if request.method == "POST":
        try:
            notification_preferences_save(user=user, choices=_changes(table, request.POST))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your notification settings are saved."))
        return redirect("notification_settings")
    return render(
        request,
        "admin/notifications/notification_settings.html",
        {
            **admin.site.each_context(request),
            "title": _("My notification settings"),
            "table": table,
            "channels": table[0]["channels"] if table else [],
            "legal_notices": legal_kinds(),
        },
    )
