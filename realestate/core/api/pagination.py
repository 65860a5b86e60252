"""Pages of a list: ``?page=<n>`` (or ``last``), 50 rows each (``PAGE_SIZE``).

DRF answers any page it cannot use with 404; here a page that is not a number from 1 to
``MAX_PAGE`` is the caller's mistake (400, naming ``page``), and only a page past the last
one is 404, as in DRF.

Counting is the admin's (``core.changelist.EstimatedCountPaginator``): on PostgreSQL a list
is counted exactly up to a bound (one ``COUNT(*)`` that stops one row past it); past that,
``count`` is the planner's estimate and ``count_is_estimate`` is true. ``COUNT(*)`` over a
million units reads every row the caller may see, on every page. With an estimate, a page past
the estimated last one still answers (short, or empty), and ``next`` is given whenever a row
follows the page (the page reads one row more to know), so an app that follows ``next`` reads
every row whatever the estimate said.

The API counts exactly up to 1,000 rows (20 pages), not the admin's 10,000: counting a field
agent's 10,000 units reads 10,000 grants and probes 10,000 units on every page; 1,000 is a
tenth of that. A list that must read all its rows anyway to order them (a ``near`` search,
nearest first) is counted with its page instead (``with_row_count``: ``COUNT(*) OVER ()``),
exactly and without a second pass. A list found longer than the bound is estimated without
counting for a minute after (``ApiCountPaginator``): the app pulls its pages one after another.
"""

from __future__ import annotations

import re
import time
from datetime import date
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.core.paginator import InvalidPage
from django.db import connections
from django.db.models import Count, QuerySet, Window
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from realestate.core.changelist import EstimatedCountPaginator

MAX_PAGE = 1_000_000
DIGITS = re.compile(r"[0-9]{1,7}")
#: The annotation ``with_row_count`` adds: every row carries the count of the whole list.
ROW_COUNT = "rows_in_list"


def _row_count(row) -> int:
    """The list's count that a row read with ``with_row_count`` carries (a model or values)."""
    return row[ROW_COUNT] if isinstance(row, dict) else getattr(row, ROW_COUNT)


def with_row_count(queryset: QuerySet) -> QuerySet:
    """The list counted along with its page (``COUNT(*) OVER ()``), for a list the database
    reads whole anyway (ordered by a computed value): one pass instead of two."""
    return queryset.annotate(**{ROW_COUNT: Window(Count("pk"))})


#: Lists counted past the bound lately (``ApiCountPaginator``): their count query's text and
#: parameters → (monotonic time until which it is trusted, their estimated count).
_long_lists: dict[tuple, tuple[float, int]] = {}
LONG_LIST_SECONDS = 60.0
LONG_LISTS_KEPT = 10_000
_KEY_TYPES = (int, str, float, bool, Decimal, date)


class ApiCountPaginator(EstimatedCountPaginator):
    """The admin's paginator with the API's bound, and a memory of long lists: a list
    counted past the bound in the last minute (the same query: the same caller's scope and
    filters) is neither counted nor estimated again; its count is the estimate made then
    (``count_is_estimate`` says so either way). Counting a field agent's list reads all their
    grants (6 ms of 11 for 10,000 units), and planning the estimate is a query of its own, on
    every page the app pulls."""

    exact_up_to = 1_000

    @cached_property
    def count(self):
        queryset = self.object_list
        if not (isinstance(queryset, QuerySet) and connections[queryset.db].vendor == "postgresql"):
            return super().count
        key = _list_key(self)
        remembered = remembered_count(key)
        if remembered is not None:
            self.estimated = True
            return remembered
        counted = super().count
        if self.estimated and key is not None:
            if len(_long_lists) >= LONG_LISTS_KEPT:
                _long_lists.clear()
            _long_lists[key] = (time.monotonic() + LONG_LIST_SECONDS, counted)
        return counted


def remembered_count(key: tuple | None) -> int | None:
    """The estimated count of a long list counted lately (``ApiCountPaginator``; ``key``:
    ``list_key``), or None."""
    remembered = _long_lists.get(key) if key is not None else None
    if remembered is None or remembered[0] <= time.monotonic():
        return None
    return remembered[1]


def list_key(queryset: QuerySet, per_page: int) -> tuple | None:
    """What ``ApiCountPaginator`` remembers a list's count by, for this queryset."""
    return _list_key(ApiCountPaginator(queryset, per_page))


def _list_key(paginator: ApiCountPaginator) -> tuple | None:
    """What identifies a list's rows: its count query, parameters included (None when a
    parameter has no stable text, e.g. a geometry). The estimate reads the same SQL."""
    try:
        sql, params = paginator.count_query
    except EmptyResultSet:  # a list that has no row whatever the data (``none()``)
        return None
    if not all(param is None or isinstance(param, _KEY_TYPES) for param in params):
        return None
    return (paginator.object_list.db, sql, tuple(params))


class PageNumberPagination(pagination.PageNumberPagination):
    page_query_description = "Page number, from 1; `last` for the last page. Empty: the first."
    django_paginator_class = ApiCountPaginator

    def paginate_queryset(self, queryset, request, view=None, *, rows=None):
        """The page's rows. ``rows``: how to read them from ``queryset`` (e.g. as values),
        the list being counted on ``queryset`` itself (a count of values would select their
        columns and joins for every row counted)."""
        self.request = request
        self.has_more = None
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        query = getattr(queryset, "query", None)
        read = queryset if rows is None else rows(queryset)
        counted_by_rows = query is not None and ROW_COUNT in query.annotations
        ahead = (
            self._page_first(
                paginator, lambda start, stop: list(read[start:stop]), counted_by_rows, read
            )
            if query is not None
            else None
        )
        if ahead is not None and (counted_by_rows or len(ahead) <= paginator.per_page):
            return self._shown(ahead[: paginator.per_page])  # the list counted with its page
        if rows is not None:
            paginator.count  # noqa: B018 - counted on the queryset, before it reads values
            paginator.object_list = read
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            message = self.invalid_page_message.format(page_number=page_number, message=exc)
            raise NotFound(message) from None
        if ahead is not None:  # a full page, read before counting with the row after it
            self.has_more = True
            return self._shown(ahead[: paginator.per_page])
        if paginator.estimated:  # one row more tells whether a page follows this one
            bottom = (self.page.number - 1) * paginator.per_page
            rows = list(paginator.object_list[bottom : bottom + paginator.per_page + 1])
            self.has_more = len(rows) > paginator.per_page
            return self._shown(rows[: paginator.per_page])
        return self._shown(list(self.page))

    def paginate_read(
        self, request, read, *, counted_by_rows=False, remembered_count=None, counted=None
    ):
        """The page's rows from ``read(start, stop)`` (the list's rows by position, read
        without a queryset: ``core.statements``), as ``paginate_queryset`` would answer. A
        full page of a list that does not carry its count (``counted_by_rows``) is counted:
        by the count of a long list remembered lately (``remembered_count()``, or None), else
        on ``counted()``, the list's queryset, as ``paginate_queryset`` counts it. None when
        that takes the list's queryset (the caller then paginates it): ``page=last``, a
        number the list refuses, or a page past the end."""
        self.request = request
        self.has_more = None
        per_page = self.get_page_size(request)
        paginator = self.django_paginator_class((), per_page)
        ahead = self._page_first(paginator, read, counted_by_rows, ())
        if ahead is None:
            return None
        if counted_by_rows or len(ahead) <= per_page:
            return self._shown(ahead[:per_page])
        count = remembered_count() if remembered_count is not None else None
        if count is not None:
            paginator.__dict__["count"], paginator.estimated = count, True
        elif counted is not None:
            paginator = self.django_paginator_class(counted(), per_page)
            paginator.count  # noqa: B018 - counted (or estimated, and remembered) as always
        else:
            return None
        try:
            self.page = paginator.page(self._requested_page(request))
        except InvalidPage:
            return None
        self.has_more = True
        return self._shown(ahead[:per_page])

    def _page_first(self, paginator, read, counted_by_rows: bool, object_list) -> list | None:
        """The requested page, read before the list is counted, with the row after it
        (``read(start, stop)``). The list is counted with its page, and the page is set, when
        its rows carry the list's count (``with_row_count``: a ``near`` search reads every
        match anyway) or when the page has room left (its rows and those before them): no
        count query for every list that fits on its first page (a tenant's invoices, an
        owner's units) and for the last page of any other. A full page is counted as before.
        None for ``page=last``, a number the list refuses (400), or a page past the end
        (counted first: 404, or a short page past an estimate)."""
        bounds = self.page_bounds(self.request)
        if bounds is None:
            return None
        bottom, stop = bounds
        number = bottom // paginator.per_page + 1
        found = read(bottom, stop)
        if not found and number > 1:
            return None
        if counted_by_rows or len(found) <= paginator.per_page:
            paginator.__dict__["count"] = (
                _row_count(found[0]) if counted_by_rows and found else bottom + len(found)
            )
            paginator.object_list = object_list
            self.page = paginator.page(number)
        return found

    def _shown(self, rows: list) -> list:
        if self.page.paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True  # the browsable API's pagination, as in DRF
        return rows

    def get_next_link(self):
        if self.has_more is None or self.has_more == self.page.has_next():
            return super().get_next_link()
        if not self.has_more:
            return None
        return pagination.replace_query_param(
            self.request.build_absolute_uri(), self.page_query_param, self.page.number + 1
        )

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.estimated,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["count", "count_is_estimate", "next", "previous", "results"]
        answer["properties"]["count"]["description"] = (
            f"Rows in the list: exact up to {ApiCountPaginator.exact_up_to:,}; past that, on "
            "PostgreSQL, the planner's estimate (`count_is_estimate`)."
        )
        answer["properties"] = {
            "count": answer["properties"]["count"],
            "count_is_estimate": {
                "type": "boolean",
                "description": (
                    f"True when `count` is an estimate (a list of more than "
                    f"{ApiCountPaginator.exact_up_to:,} rows): pages past the estimated last "
                    "one still answer, and `next` is null only on the last page."
                ),
                "example": False,
            },
            **{k: v for k, v in answer["properties"].items() if k != "count"},
        }
        return answer

    def page_bounds(self, request) -> tuple[int, int] | None:
        """The rows that reading the requested page first takes (``_page_first``), by
        position from 0: its own, and the one after it that tells whether a page follows
        (so ``stop`` is also how many rows of the list, from its start, reading it takes);
        None for ``page=last`` or a number the list refuses (400)."""
        number = self._requested_page(request)
        if not isinstance(number, int):
            return None
        per_page = self.get_page_size(request)
        return (number - 1) * per_page, number * per_page + 1

    def get_page_number(self, request, paginator):
        number = self._requested_page(request)
        if number is None:
            raise ValidationError(
                {
                    self.page_query_param: [
                        f"A page is a whole number from 1 to {MAX_PAGE}, or “last”."
                    ]
                }
            )
        return paginator.num_pages if number == "last" else number

    def _requested_page(self, request) -> int | str | None:
        """The ``page`` asked for: a number (1 when none is), "last", or None for a value the
        list does not take."""
        value = request.query_params.get(self.page_query_param, "")
        if value == "":
            return 1
        if value in self.last_page_strings:
            return "last"
        if not DIGITS.fullmatch(value) or not 1 <= int(value) <= MAX_PAGE:
            return None
        return int(value)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": self.page_query_description,
                "schema": {
                    "anyOf": [
                        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        {"type": "string", "enum": list(self.last_page_strings)},
                    ]
                },
                "example": 2,
            }
        ]
