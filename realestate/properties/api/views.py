from __future__ import annotations

import re

from django.db import connections
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from realestate.core.api.formats import moment_writer
from realestate.core.api.pagination import (
    ROW_COUNT,
    PageNumberPagination,
    with_row_count,
)
from realestate.core.api.permissions import ScopedViewSetMixin
from realestate.core.api.schema import (
    RESPONSE_HEADERS,
    ErrorSerializer,
    error_responses,
    field_errors,
)
from realestate.core.api.statements import kept_page
from realestate.core.permissions import FirstGrants, scope_grant_rows
from realestate.core.statements import inputs_as_slots, remembered, statement
from realestate.properties.api.filtersets import (
    UNIT_FILTER_PARAMETERS,
    UnitFilterSet,
    grant_narrowing,
    near_asked,
    near_parameters,
)
from realestate.properties.api.serializers import (
    UnitSerializer,
    unit_answer,
    unit_rows,
    unit_rows_of,
)
from realestate.properties.models import Unit
from realestate.properties.selectors import GrantedNear

UNIT_FILTER_ERRORS = field_errors(
    "UnitFilterErrors",
    [parameter.name for parameter in UNIT_FILTER_PARAMETERS] + ["page"],
    description="A query parameter has a value the list does not take; each is named.",
    examples={
        "Bad point": {
            "near": "Expected longitude,latitude in decimal degrees, e.g. 55.27,25.20: longitude "
            "from -180 to 180, latitude from -90 to 90."
        }
    },
)
PAGE_NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="The page is past the last one.",
    examples=[OpenApiExample("Past the end", value={"detail": "Invalid page."})],
)
UNIT_NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No such unit, or not one the caller may see (the same answer).",
    examples=[OpenApiExample("Not found", value={"detail": "No Unit matches the given query."})],
)


@extend_schema_view(
    list=extend_schema(
        summary="Units the caller may see, filtered and optionally by distance",
        parameters=[*UNIT_FILTER_PARAMETERS, *RESPONSE_HEADERS],
        responses={
            200: UnitSerializer(many=True),
            **error_responses(bad_request=UNIT_FILTER_ERRORS, not_found=PAGE_NOT_FOUND),
        },
    ),
    retrieve=extend_schema(
        summary="One unit",
        parameters=RESPONSE_HEADERS,
        responses={200: UnitSerializer, **error_responses(not_found=UNIT_NOT_FOUND)},
    ),
)
class UnitViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Units the caller may see; any other unit answers 404, as if it did not exist."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    pagination_class = PageNumberPagination
    queryset = Unit.objects.select_related("project", "building", "agent").order_by("code")

    def scope_narrowing(self):
        # A field agent's ``near``/``in_bbox`` starts from their grants inside the circle or
        # box (``properties/0007``: 3 to 5 ms against 32 for 10,000 granted units).
        return grant_narrowing(self.request.query_params) if self.action == "list" else None

    def list(self, request, *args, **kwargs):
        """The page's units read as values (``unit_rows``), not models: a page of 50 units
        with their projects, buildings and agents built 200 model instances and 50 geometry
        objects, more than half of the list's time in Python. The app's two commonest lists,
        a ``near`` search and the list unfiltered, are read by statements compiled once for
        the caller (``_kept_page``)."""
        page = self._kept_page(request)
        if page is not None:
            return self.get_paginated_response(_answers(page))
        queryset = self.filter_queryset(self.get_queryset())
        if "distance" in queryset.query.annotations:
            # ``near``: every match is read to order them by distance; count them meanwhile.
            # The matches' ids, distances and count come from the index of ids and locations
            # (``properties/0005``), then the page's 50 units are read with their projects,
            # buildings and agents, by id: joined, PostgreSQL joins them to every match
            # before ordering (13 of 45 ms), and it read every match's row (498 of them).
            page = unit_rows_of(
                self.paginator.paginate_queryset(
                    near_matches(queryset), request, self, rows=match_rows
                )
            )
        else:
            page = self.paginator.paginate_queryset(
                queryset.select_related(None), request, self, rows=self._page_rows()
            )
        return self.get_paginated_response(_answers(page))

    def _page_rows(self):
        """How the page's rows are read from the counted list (``paginate_queryset(rows=)``).

        The list unfiltered, in code order (the app's first view of a field agent's units),
        is read from the caller's first grants by code (``FirstGrants``, ``properties/0008``):
        PostgreSQL otherwise walks the codes of the whole inventory until it meets enough of
        the agent's units (5,100 for the first page of an agent holding 1 % of a million,
        2.7 ms; a hundred times that for the hundredth page). The list is still counted
        whole."""
        params = self.request.query_params
        bounds = self.paginator.page_bounds(self.request)
        if bounds is None or any(name in params for name in self.filterset_class.base_filters):
            return unit_rows
        first = self._first_grants_rows(bounds[1])
        return lambda counted: first

    def _first_grants_rows(self, rows: int):
        return unit_rows(self.scoped_queryset(FirstGrants("unit_code", rows)).select_related(None))

    def _kept_page(self, request) -> list[dict] | None:
        """The page of a ``near`` search (``near``, ``radius_km``, ``page`` and no other
        parameter) or of the list unfiltered (``page`` at most), read by statements compiled
        once for the caller (``core.api.statements``): building the scoped, filtered queryset
        and compiling its SQL was 2.5 of a ``near`` search's 5.3 ms of Python. Each statement
        is built by the code above, from the request's parameters (two sentinels for
        ``near``'s), so it reads what the queryset would. None when the request is another
        one, or its page must be counted first: the list is built as above."""
        params = request.query_params
        asked = set(params) - {self.paginator.page_query_param}
        if not asked:
            return kept_page(
                self,
                ("units.first",),
                lambda start, stop: self._first_grants_rows(stop)[start:stop],
                counted=lambda: self.get_queryset().select_related(None),
            )
        if not asked <= {"near", "radius_km"} or near_asked(params) is None:
            return None  # another list, or one the filters answer 400
        page = kept_page(
            self,
            ("units.near",),
            self._near_rows,
            slots=near_parameters,
            sentinels=NEAR_SENTINELS,
            inputs={name: params.get(name, "") for name in ("near", "radius_km")},
            counted_by_rows=True,
        )
        if page and "code" not in page[0]:  # matches only: their units are read by id
            page = unit_rows_of(page)
        return page

    def _near_rows(self, start: int, stop: int):
        """Rows ``start`` to ``stop`` of the ``near`` search the request asks (its matches'
        ids, distances and count): from the caller's unit grants alone when they are the
        caller's whole scope, on PostgreSQL (``GrantedNear``: only the page's units are read,
        joined to their matches, in the same query), else from the units, as the list reads
        them (the page's units are then read by id, ``unit_rows_of``)."""
        params = self.request.query_params
        database = connections[Unit._base_manager.db]
        if database.vendor == "postgresql":
            narrow = grant_narrowing(params)
            grants = scope_grant_rows(self.request.user, Unit, self.scope_action(), narrow)
            if grants is not None:
                given = near_parameters(database, params)
                return GrantedNear(
                    grants,
                    unit_rows(Unit._base_manager.all()),
                    point=given["point"],
                    metres=given["metres"],
                    count_name=ROW_COUNT,
                    start=start,
                    stop=stop,
                )
        return match_rows(near_matches(self.filter_queryset(self.get_queryset())))[start:stop]

    def retrieve(self, request, *args, **kwargs):
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        if DETAIL_ID.fullmatch(str(lookup)):
            # A unit by id, read by a statement compiled once for the caller; the id is its
            # slot. Not found: the queryset below answers (its 404).
            unit = statement(
                remembered(request.user),
                ("units.detail",),
                lambda inputs: self._detail_rows(inputs["pk"]),
                inputs_as_slots,
                DETAIL_SENTINELS,
            )
            found = unit.rows({"pk": int(lookup)}) if unit is not None else None
            if found:
                return Response(unit_answer(found[0]))
        queryset = unit_rows(self.get_queryset().select_related(None))
        # DRF's shortcut: 404 too for an id that is not a number (``/units/abc/``).
        return Response(unit_answer(get_object_or_404(queryset, **{self.lookup_field: lookup})))

    def _detail_rows(self, pk: int):
        return unit_rows(self.get_queryset().select_related(None)).filter(pk=pk).order_by()[:2]


def _answers(page: list[dict]) -> list[dict]:
    moment = moment_writer()
    return [unit_answer(row, moment) for row in page]


def near_matches(queryset):
    """A ``near`` search's matches (its queryset filtered), counted along (``with_row_count``)."""
    return with_row_count(queryset.select_related(None))


def match_rows(matches):
    """The matches' ids and distances, each with the list's count."""
    return matches.values("id", "distance", ROW_COUNT)


#: Two sentinel values of ``near`` and ``radius_km`` that differ in every part, for the
#: statement of a ``near`` page (``core.statements``).
NEAR_SENTINELS = (
    {"near": "12.3456789012,45.6789012345", "radius_km": "7.7777777777"},
    {"near": "-23.4567890123,-34.5678901234", "radius_km": "3.3333333333"},
)
#: Two ids of no unit, for the statement of a unit.
DETAIL_SENTINELS = ({"pk": 2_000_000_001}, {"pk": 2_000_000_002})
#: An id a statement takes: up to nine digits, below any id column's limit (a larger one is
#: for the queryset, which knows no such id).
DETAIL_ID = re.compile(r"[1-9][0-9]{0,8}")
