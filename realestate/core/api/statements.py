"""Pages and details of the app read by statements compiled once per caller
(``core.statements``).

A statement's queryset is built by the view's own code, from the request: with the request's
query parameters replaced by each of two sentinels when the statement has slots (a ``near``
point), so that the view's filters read them; later requests of the same shape fill in their
own values. A page's statement is kept by the page's bounds, its count by what
``ApiCountPaginator`` remembers it by."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from django.http import QueryDict

from realestate.core.api.pagination import list_key
from realestate.core.api.pagination import remembered_count as remembered
from realestate.core.statements import kept_value, statement
from realestate.core.statements import remembered as kept_for

#: Pages read by statements: the first three of a list (an app pulls page after page; past
#: these, each page is built as before, and keeps nothing).
KEPT_PAGES = 3


@contextmanager
def query_params_as(request, params: dict[str, str]):
    """``request`` (DRF's) seen with these query parameters and no other."""
    django_request = request._request
    real = django_request.GET
    sentinels = QueryDict(mutable=True)
    sentinels.update(params)
    django_request.GET = sentinels
    try:
        yield
    finally:
        django_request.GET = real


def kept_page(
    view,
    key: tuple,
    build: Callable,
    *,
    slots: Callable | None = None,
    sentinels: tuple[dict, dict] = ({}, {}),
    inputs: dict | None = None,
    counted_by_rows: bool = False,
    counted: Callable | None = None,
) -> list[dict] | None:
    """The requested page of a list, read by the caller's statement of ``key`` and the
    page's bounds (``build(start, stop)``: the page's values queryset, built as the view
    builds it; with ``slots``, from the request's parameters set to each of ``sentinels``,
    and run with ``inputs``). ``counted()``: the queryset the list is counted on, for the
    count of a full page (remembered by ``ApiCountPaginator``, or counted). None when
    nothing is kept for the caller, the statement is refused, or the page needs counting
    first (``paginate_read``): the view then builds its list."""
    request = view.request
    kept = kept_for(request.user)
    bounds = view.paginator.page_bounds(request)
    if kept is None or bounds is None or bounds[0] >= KEPT_PAGES * (bounds[1] - bounds[0] - 1):
        return None
    start, stop = bounds

    def built(params):
        if not slots:
            return build(start, stop)
        with query_params_as(request, params):
            return build(start, stop)

    rows = statement(kept, (*key, start, stop), built, slots, sentinels)
    if rows is None:
        return None
    remembered_count = None
    if counted is not None:
        per_page = view.paginator.get_page_size(request)
        count_key = kept_value(
            kept, (*key, "count", per_page), lambda: list_key(counted(), per_page)
        )
        remembered_count = lambda: remembered(count_key)  # noqa: E731
    return view.paginator.paginate_read(
        request,
        lambda *bounds: rows.rows(inputs),
        counted_by_rows=counted_by_rows,
        remembered_count=remembered_count,
        counted=counted,
    )
