"""Change lists that stay quick at a million rows.

``FastChangeListMixin`` (before the admin's other bases) gives an admin three things:

- ``EstimatedCountPaginator``: on PostgreSQL, a list is counted up to 10,001 rows only (one
  query, which stops there); past 10,000 it is counted by the planner's estimate (``EXPLAIN``:
  the table's statistics, scaled to its current size) and the page says "about". A full
  ``COUNT(*)`` reads every row: 35 to 80 ms for a million. SpatiaLite counts as Django does.
- Search through related records by their ids: a search field across a foreign key
  (``project__name``) is looked up in the related table first (a few hundred rows, one query
  per word and relation), and the list is filtered by ``project_id IN (…those ids)``: the
  ``OR`` of that with the list's own fields takes an index for each (``pg_trgm`` ones for
  ``icontains``, see ``properties/0004``), and the planner knows how many rows to expect.
  Django's search joins and tests every row's related name, which no index serves.
- Light rows (``core/templatetags/light_list.py``): the same table, cells and look, with
  the column headers worked out once per page instead of once per row, and one class per
  cell (``.cl-cell`` in ``core/admin.css``) where unfold repeats 26 utility classes.
"""

from __future__ import annotations

import json

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal


class EstimatedCountPaginator(Paginator):
    """A paginator that counts long lists on PostgreSQL by the planner's estimate.

    It counts at most ``exact_up_to`` + 1 rows (one query, as Django's ``COUNT(*)``, but one
    that stops there); a list that has more is counted by ``EXPLAIN``'s estimate, and
    ``estimated`` is set: the pagination and the page header then say "about". An estimate is
    off by a few per cent until the next ``ANALYZE``, and by more for filters whose conditions
    go together (two words of one project's name): pages past the estimated last one still
    open (short or empty) rather than fail.
    """

    exact_up_to = 10_000
    template_name = "admin/pagination_estimated.html"  # unfold's pagination includes it

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if not (
            isinstance(queryset, models.QuerySet)
            and connections[queryset.db].vendor == "postgresql"
        ):
            return super().count
        counted = queryset.order_by()[: self.exact_up_to + 1].count()
        if counted <= self.exact_up_to:
            return counted
        self.estimated = True
        return max(self._planner_estimate(), counted)

    def validate_number(self, number):
        if self.count and self.estimated and str(number).isdigit() and int(number) >= 1:
            return int(number)  # past the estimated last page: a short or empty page
        return super().validate_number(number)

    def page(self, number):
        if not (self.count and self.estimated):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page  # not cut at the estimate, which may be short
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    @cached_property
    def count_query(self) -> tuple[str, tuple]:
        """The SQL and parameters of what ``COUNT(*)`` reads (no ordering, no joins for
        display), compiled once per page."""
        return self.object_list.order_by().values("pk").query.sql_with_params()

    def _planner_estimate(self) -> int:
        connection = connections[self.object_list.db]
        sql, params = self.count_query
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])


class RelatedSearchMixin:
    """The admin's search, with fields across a foreign key matched by ids (see the module's
    docstring). Same terms and results as Django's: every word must match one of the search
    fields; quoted phrases stay whole; ``^``, ``=`` and ``@`` keep their meaning."""

    #: Past this many matching related records, the list filters by a subquery instead.
    related_ids_max = 1000

    def get_search_results(self, request, queryset, search_term):
        plan = self._search_plan(request)
        if plan is None or not search_term:
            return super().get_search_results(request, queryset, search_term)
        own, related = plan
        terms = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            conditions = [Q((lookup, bit)) for lookup in own]
            for field_name, (remote_model, lookups) in related.items():
                matching = remote_model._base_manager.filter(
                    Q.create([(lookup, bit) for lookup in lookups], connector=Q.OR)
                ).order_by()
                ids = list(matching.values_list("pk", flat=True)[: self.related_ids_max + 1])
                if len(ids) > self.related_ids_max:
                    conditions.append(Q((f"{field_name}__in", matching.values("pk"))))
                elif ids:
                    conditions.append(Q((f"{field_name}__in", ids)))
            if not conditions:  # the word matches no related record and there is nothing else
                return queryset.none(), False
            terms.append(Q.create(conditions, connector=Q.OR))
        return queryset.filter(*terms), any(
            lookup_spawns_duplicates(self.opts, lookup) for lookup in own
        )

    def _search_plan(self, request):
        """The search fields as (lookups on the model's own columns, {foreign key: (related
        model, lookups there)}); None if a field is of a kind left to Django (a lookup of its
        own, a relation other than a foreign key)."""
        own, related = [], {}
        for spec in map(str, self.get_search_fields(request)):
            prefix, path = (spec[0], spec[1:]) if spec[:1] in "^=@" else ("", spec)
            lookup = {"^": "istartswith", "=": "iexact", "@": "search"}.get(prefix, "icontains")
            first, _sep, rest = path.partition("__")
            try:
                field = self.opts.get_field(first)
            except FieldDoesNotExist:
                return None
            if not rest:
                if field.is_relation:
                    return None
                own.append(f"{path}__{lookup}")
                continue
            if not (field.many_to_one or field.one_to_one) or field.auto_created:
                return None
            remote = field.related_model
            if not _plain_path(remote, rest):
                return None
            related.setdefault(first, (remote, []))[1].append(f"{rest}__{lookup}")
        return (own, related) if related else None


def _plain_path(model, path: str) -> bool:
    """``path`` names a column, possibly through relations, with no lookup of its own."""
    opts, field = model._meta, None
    for part in path.split("__"):
        if field is not None:
            if not field.is_relation or field.related_model is None:
                return False
            opts = field.related_model._meta
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return False
    return not field.is_relation


class FastChangeListMixin(RelatedSearchMixin):
    """Estimated counts, search by related ids and light rows for a large list (see the
    module's docstring). Put it first among the admin's bases."""

    paginator = EstimatedCountPaginator
    change_list_template = "admin/change_list_light.html"
