"""Which renderer writes an answer: DRF's choice, made at once for the app's requests.

DRF's ``DefaultContentNegotiation`` parses the ``Accept`` header and matches every media
type against every renderer on each request: 2 % of a web worker's time under
``make bench-api``, for the one answer an app always gets. A request that names no format
(no ``?format=``, no suffix) and accepts anything or JSON alone (no ``Accept``, ``*/*``,
``application/json``) gets the view's first renderer when that writes JSON, with DRF's own
media type for it (``application/json``); any other request is negotiated by DRF as before
(``tests/api/test_renderer.py`` compares the two).
"""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation

JSON = "application/json"
#: ``Accept`` headers that DRF answers with the first JSON renderer and its bare media type.
PLAIN_ACCEPTS = frozenset({None, "*/*", JSON})


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            not format_suffix
            and renderers
            and renderers[0].media_type == JSON
            and request.META.get("HTTP_ACCEPT") in PLAIN_ACCEPTS
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], JSON
        return super().select_renderer(request, renderers, format_suffix)
