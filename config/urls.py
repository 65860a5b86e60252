from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from realestate.core.admin_views import view_on_site
from realestate.core.files import protected_media
from realestate.core.views import favicon, healthz
from realestate.notifications.admin import my_settings as notification_settings

# Error pages in the admin's look (JSON under /api/), also for PermissionDenied in the admin.
handler403 = "realestate.core.errors.permission_denied"
handler404 = "realestate.core.errors.page_not_found"
handler500 = "realestate.core.errors.server_error"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/security/", include("realestate.accounts.urls")),
    # The staff notification centre (ahead of the admin: its own pages, not a model's).
    path("admin/notifications/centre/", include("realestate.notifications.centre")),
    path(
        "admin/my-notifications/",
        notification_settings.notification_settings,
        name="notification_settings",
    ),
    # Ahead of the admin's own "view on site" shortcut (same path and name): records the
    # user may see only.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("api/", include("realestate.api.urls")),
]

if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    # The e-mail provider's tracking webhook (bounces), behind its basic-auth secret.
    urlpatterns.append(path("anymail/", include("anymail.urls")))

if not settings.AWS_STORAGE_BUCKET_NAME:
    # Uploaded files, to those who may see their record only (S3 links are signed instead).
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", protected_media, name="media")
    )
