"""Read queries over the inventory."""

from __future__ import annotations

import math

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db import connection
from django.db.models import Count, FloatField, Q, QuerySet

from realestate.core.statements import RawValues, selected_names
from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit

KM_PER_DEGREE_LATITUDE = 111.32


def unit_counts_by_status(queryset: QuerySet[Unit] | None = None) -> dict[str, int]:
    queryset = Unit.objects.all() if queryset is None else queryset
    counts = dict.fromkeys(UnitStatus.values, 0)
    for row in queryset.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def bbox_around(point: Point, radius_km: float) -> Polygon:
    """A lon/lat box that contains the circle: lets the spatial index pre-filter rows."""
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    cos_lat = max(math.cos(math.radians(point.y)), 1e-6)
    dlng = min(radius_km / (KM_PER_DEGREE_LATITUDE * cos_lat), 180.0)
    return Polygon.from_bbox(
        (point.x - dlng, max(point.y - dlat, -90), point.x + dlng, min(point.y + dlat, 90))
    )


def units_near(queryset: QuerySet[Unit], *, point: Point, radius_km: float) -> QuerySet[Unit]:
    """The units of ``queryset`` within ``radius_km`` of ``point``, nearest first, with
    ``distance`` annotated: metres, a float (a ``Distance`` object made for each match was
    a tenth of a ``near`` page's Python).

    One query level: ``queryset``'s own conditions (its scope among them), the circle's box
    and its distance. On PostgreSQL a scope that leads to units by id (a field agent's
    grants) tests each unit against the circle in the covering index ``unit_id_location``
    (``properties/0005``) without reading its row; a caller that reads only ids and
    distances (the API's ``near`` page, which reads its 50 units after, by id) reads no
    unit's row. Matches found first and read again by id (two levels) took 2.8 ms of the
    database for a field agent's 500 matches, against 1.9."""
    return (
        queryset.filter(near_condition(point, radius_km))
        .annotate(distance=Distance("location", point, output_field=FloatField()))
        .order_by("distance", "pk")
    )


class GrantedNear(RawValues):
    """A page of a ``near`` search's matches read from the caller's unit grants alone, each
    with its unit's row (``units``' columns), its distance in metres on the sphere and the
    count of the whole list, nearest first, then by id, rows ``start`` to ``stop``. For a
    caller whose whole scope is their unit grants (``core.permissions.scope_grant_rows``: a
    field agent), on PostgreSQL.

    A grant copies its unit's location (``properties/0007``; exact under concurrent moves
    and grants, ``0009``), so the units themselves are not read to find the matches: for a
    field agent's 500 matches, probing each granted unit in the circle's box in the units'
    index and computing its distance twice (to test it, then to order it) took 3.5 to 4 ms
    of PostgreSQL; from the grants, one distance per unit, 1.7 ms. A unit granted twice (to
    see and to change, to the user and to a group of theirs) is one match (``DISTINCT ON``);
    its distance is computed once, before it is tested (``OFFSET 0`` keeps the planner from
    computing it again in the test).

    ``grants``: the querysets ``scope_grant_rows`` gives, narrowed to the circle's box;
    ``point``, ``metres``: the parameters Django passes for the search's point and radius
    (``api.filtersets.near_parameters``), so that a ``core.statements`` statement finds
    them as its slots. ``units``: a values queryset of every unit (``unit_rows``), joined in
    the same query to the page's matches only (one round trip, not a second query of the
    page's ids)."""

    def __init__(
        self, grants: list[QuerySet], units: QuerySet, *, point, metres, count_name, start, stop
    ):
        self.grants, self.units = grants, units
        self.point, self.metres = point, metres
        self.count_name = count_name
        self.start, self.stop = start, stop
        self.db = grants[0].db
        self.names = (*selected_names(units), "distance", count_name)

    def as_sql(self, connection) -> tuple[str, list]:
        quote = connection.ops.quote_name
        parts, params = [], []
        for rows in self.grants:
            sql, part_params = (
                rows.values("content_object_id", "location").query.get_compiler(self.db).as_sql()
            )
            parts.append(f"({sql})")
            params.extend(part_params)
        identifier, location, distance = quote("id"), quote("location"), quote("distance")
        sphere = connection.ops.spatial_function_name("DistanceSphere")
        sql = (
            f"SELECT {identifier}, {distance}, COUNT(*) OVER () AS {quote(self.count_name)} "
            f"FROM (SELECT {identifier}, {sphere}({location}, %s) AS {distance} "
            f"FROM (SELECT DISTINCT ON ({identifier}) {identifier}, {location} "
            f"FROM ({' UNION ALL '.join(parts)}) AS {quote('granted')} "
            f"({identifier}, {location}) ORDER BY {identifier}) AS {quote('units')} "
            f"OFFSET 0) AS {quote('measured')} "
            f"WHERE {distance} <= %s ORDER BY {distance}, {identifier} "
            f"LIMIT {int(self.stop) - int(self.start)} OFFSET {int(self.start)}"
        )
        # Unordered, so that PostgreSQL joins its rows to the page's matches by id (an
        # ordered subquery is read whole, in its order, before the join).
        units_query = self.units.order_by().query
        units_sql, units_params = units_query.get_compiler(self.db).as_sql()
        matches, units = quote("matches"), quote("unit_rows")
        sql = (
            f"SELECT {units}.*, {matches}.{distance}, {matches}.{quote(self.count_name)} "
            f"FROM ({sql}) AS {matches} INNER JOIN ({units_sql}) AS {units} "
            f"ON {units}.{identifier} = {matches}.{identifier} "
            f"ORDER BY {matches}.{distance}, {matches}.{identifier}"
        )
        # The parameters in the order of their places.
        return sql, [self.point, *params, self.metres, *units_params]


def near_condition(point: Point, radius_km: float, field: str = "location") -> Q:
    """``field`` within ``radius_km`` of ``point``: a box first (the spatial index), then the
    distance on the sphere. Also the condition on the location a unit's grants copy
    (``restrict(narrow=...)``)."""
    return box_prefilter(bbox_around(point, radius_km), field) & Q(
        **{f"{field}__distance_lte": (point, D(km=radius_km))}
    )


def box_prefilter(box: Polygon, field: str = "location") -> Q:
    """``field`` possibly in ``box``: a condition that the spatial index answers, for a box
    that only narrows what an exact condition decides after (a circle's). On PostgreSQL the
    boxes overlap (``&&``, 0.5 ms less than ``ST_Intersects`` for 600 locations; for a point
    and a box the same but for the index's rounding, a few centimetres outwards); elsewhere
    the geometries intersect."""
    lookup = "bboverlaps" if connection.vendor == "postgresql" else "intersects"
    return Q(**{f"{field}__{lookup}": box})


def bbox_condition(bbox: tuple[float, float, float, float], field: str = "location") -> Q:
    return Q(**{f"{field}__intersects": Polygon.from_bbox(bbox)})


def units_in_bbox(queryset: QuerySet[Unit], *, bbox: tuple[float, float, float, float]):
    return queryset.filter(bbox_condition(bbox))


def unit_distance_m(unit_id: int, point: Point) -> float | None:
    """How far ``point`` (lon/lat) is from the unit's location, in metres on the spheroid
    (PostGIS and SpatiaLite alike); None when the unit has no location."""
    found = (
        Unit.objects.filter(pk=unit_id, location__isnull=False)
        .annotate(distance=Distance("location", point))
        .values_list("distance", flat=True)
        .first()
    )
    return None if found is None else found.m
