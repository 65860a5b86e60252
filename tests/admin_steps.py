"""Helpers for tests that click through the admin as staff would."""


def dialog(c, url, **data):
    """Submit a detail action's dialog the way unfold's htmx does."""
    return c.post(url, {"_form_submitted": "on", **data}, HTTP_HX_REQUEST="true")
