"""django-unfold settings: branding, sidebar and dashboard."""

from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from realestate.backoffice.navigation import SIDEBAR_NAVIGATION

UNFOLD = {
    "SITE_TITLE": _("Real-estate back office"),
    "SITE_HEADER": _("Back office"),
    "SITE_SUBHEADER": _("Inventory · Sales · Leasing"),
    "SITE_SYMBOL": "apartment",
    "SITE_URL": "/admin/",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_BACK_BUTTON": True,
    "ENVIRONMENT": "realestate.backoffice.dashboard.environment_label",
    "DASHBOARD_CALLBACK": "realestate.backoffice.dashboard.dashboard_callback",
    "STYLES": [
        lambda request: static("core/admin.css"),
        lambda request: static("notifications/centre.css"),
    ],
    # The WebSocket of live updates: the bell's count, progress bars (notifications/live.py).
    "SCRIPTS": [lambda request: static("notifications/live.js")],
    "SITE_FAVICONS": [
        {
            "rel": "icon",
            "type": "image/svg+xml",
            "href": lambda request: static("core/favicon.svg"),
        },
        {"rel": "icon", "sizes": "48x48", "href": lambda request: static("core/favicon.ico")},
    ],
    "COLORS": {
        "primary": {
            "50": "oklch(97.7% .014 308.299)",
            "100": "oklch(94.6% .033 307.174)",
            "200": "oklch(90.2% .063 306.703)",
            "300": "oklch(82.7% .119 306.383)",
            "400": "oklch(71.4% .203 305.504)",
            "500": "oklch(62.7% .265 303.9)",
            "600": "oklch(55.8% .288 302.321)",
            "700": "oklch(49.6% .265 301.924)",
            "800": "oklch(43.8% .218 303.724)",
            "900": "oklch(38.1% .176 304.987)",
            "950": "oklch(29.1% .149 302.717)",
        },
    },
    "LOGIN": {"form": "realestate.accounts.forms.ThrottledAuthenticationForm"},
    "ACCOUNT": {
        "navigation": [
            {"title": _("Two-factor authentication"), "link": reverse_lazy("two_factor_security")},
            {"title": _("My notification settings"), "link": reverse_lazy("notification_settings")},
        ],
    },
    "SIDEBAR": {
        "show_search": True,
        # The search box opens the command search, which finds records too (backoffice.search).
        "command_search": True,
        "show_all_applications": False,
        "navigation": SIDEBAR_NAVIGATION,
    },
    "COMMAND": {"search_callback": "realestate.backoffice.search.search_records"},
}
