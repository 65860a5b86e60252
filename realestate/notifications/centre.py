"""The staff notification centre in the admin: the header's bell (its count comes over the
WebSocket, its list on opening), the "Notifications" page (a user's own, paginated), opening
one (read, then its record) and marking one or all read.

Pages render no count or list on every admin page (no queries added there): the bell's script
(``static/notifications/live.js``) asks when it needs to.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib import admin
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from realestate.accounts.views import staff_required
from realestate.notifications import live, services
from realestate.notifications.models import Notification
from realestate.notifications.rendering import in_app_texts, in_app_texts_fill

PAGE_SIZE = 25
#: Rows in the bell's dropdown.
RECENT = 8


def _ago(moment) -> str:
    if timezone.now() - moment < timedelta(minutes=1):
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment, depth=1)}


def _rows(notifications) -> list[dict]:
    notifications = list(notifications)
    in_app_texts_fill(notifications)
    rows = []
    for notification in notifications:
        title, body = in_app_texts(notification)
        rows.append(
            {
                "notification": notification,
                "title": title,
                # One line break between paragraphs: the centre shows them compact.
                "body": re.sub(r"\n\s*\n", "\n", body.strip()),
                "ago": _ago(notification.created_at),
                "has_link": bool(live.admin_link(notification)),
            }
        )
    return rows


def _back(request) -> str:
    url = request.POST.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("notification_centre")


@staff_required
def centre(request):
    """The user's notifications, newest first; ``?unread=1`` for the unread ones."""
    notifications = Notification.objects.for_user(request.user).order_by("-created_at", "-id")
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notifications = notifications.unread()
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/centre/page.html",
        {
            **admin.site.each_context(request),
            "title": _("Notifications"),
            "page": page,
            "rows": _rows(page.object_list),
            "unread_only": unread_only,
            "unread": services.unread_count(request.user),
            "page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


@staff_required
def recent(request):
    """The bell's dropdown: the newest few (HTML), and the unread count in a header."""
    notifications = Notification.objects.for_user(request.user).order_by("-created_at", "-id")
    count = services.unread_count(request.user)
    response = render(
        request,
        "notifications/centre/recent.html",
        {"rows": _rows(notifications[:RECENT]), "unread": count},
    )
    response["X-Unread-Count"] = str(count)
    return response


@staff_required
def count(request):
    """``{"count": n}``: the bell's fallback when the WebSocket is not there."""
    return JsonResponse({"count": services.unread_count(request.user)})


@staff_required
def open_notification(request, pk):
    """Mark it read and go to its record (or back to the centre)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.notification_mark_read(user=request.user, ids=[notification.pk])
    return redirect(live.admin_link(notification) or reverse("notification_centre"))


@require_POST
@staff_required
def mark_read(request, pk):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.notification_mark_read(user=request.user, ids=[notification.pk])
    return redirect(_back(request))


@require_POST
@staff_required
def mark_all_read(request):
    services.notification_mark_read(user=request.user)
    return redirect(_back(request))


urlpatterns = [
    path("", centre, name="notification_centre"),
    path("recent/", recent, name="notification_recent"),
    path("count/", count, name="notification_count"),
    path("<int:pk>/", open_notification, name="notification_open"),
    path("<int:pk>/read/", mark_read, name="notification_read"),
    path("read-all/", mark_all_read, name="notification_read_all"),
]
