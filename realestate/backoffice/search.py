"""The admin's search box finds records, not only menu items.

unfold's command search (the sidebar's search box opens it, as does Ctrl+K) lists the menu
items whose names match, then calls ``search_records``: clients by name, phone, e-mail or
document number; units by code; sale contracts, leases, invoices and receipts by number. Each
kind is searched within ``restrict(user, "view")``, a handful of rows at most, and links to
the record's admin page.

The lookups are chosen for indexes (see ``core/migrations/0003_search_indexes``): codes,
numbers, e-mails and document numbers match from their start (``istartswith``), which an
expression index on ``UPPER(column)`` serves on PostgreSQL; names and phones match anywhere
(``icontains``), which a ``pg_trgm`` GIN index serves. On SpatiaLite the same lookups scan the
table, which is fast enough for a local database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.dataclasses import SearchResult

from realestate.core.money import format_money

#: Results per kind of record: enough to pick from, few enough to stay fast.
PER_KIND = 5
#: Shorter terms match too much to be useful (the menu items still match them).
MIN_LENGTH = 2


@dataclass(frozen=True)
class SearchKind:
    model: str  # "app_label.ModelName"
    icon: str
    starts: tuple[str, ...] = ()  # fields matched from their start
    contains: tuple[str, ...] = ()  # fields matched anywhere
    related: tuple[str, ...] = ()
    describe: Callable = str

    def matches(self, term: str) -> Q:
        condition = Q()
        for field in self.starts:
            condition |= Q(**{f"{field}__istartswith": term})
        for field in self.contains:
            condition |= Q(**{f"{field}__icontains": term})
        return condition


def _parts(*parts) -> str:
    return " · ".join(str(part) for part in parts if part)


def _money(obj) -> str:
    return format_money(obj.amount, obj.currency)


KINDS = (
    SearchKind(
        "clients.Client",
        "person",
        starts=("email", "id_number"),
        contains=("name", "phone"),
        describe=lambda c: _parts(_("Client"), c.phone, c.email),
    ),
    SearchKind(
        "properties.Unit",
        "apartment",
        starts=("code",),
        related=("project",),
        describe=lambda u: _parts(_("Unit"), u.project, u.get_status_display()),
    ),
    SearchKind(
        "sales.SaleContract",
        "handshake",
        starts=("number",),
        related=("unit", "buyer"),
        describe=lambda c: _parts(_("Sale contract"), c.unit, c.buyer, c.get_status_display()),
    ),
    SearchKind(
        "leasing.Lease",
        "key",
        starts=("number",),
        related=("unit", "tenant"),
        describe=lambda lease: _parts(
            _("Lease"), lease.unit, lease.tenant, lease.get_status_display()
        ),
    ),
    SearchKind(
        "finance.Receivable",
        "receipt_long",
        starts=("number",),
        related=("client",),
        describe=lambda r: _parts(_("Invoice"), r.client, _money(r), r.get_status_display()),
    ),
    SearchKind(
        "finance.Payment",
        "payments",
        starts=("number",),
        related=("client",),
        describe=lambda p: _parts(_("Receipt"), p.client, _money(p), p.get_status_display()),
    ),
)


def search_records(request, term: str) -> list[SearchResult]:
    """unfold's ``COMMAND["search_callback"]``: the records ``request.user`` may see whose
    fields match ``term``, at most ``PER_KIND`` of each kind."""
    term = (term or "").strip()
    if len(term) < MIN_LENGTH or not request.user.is_authenticated:
        return []
    results = []
    for kind in KINDS:
        model = apps.get_model(kind.model)
        rows = (
            model.objects.restrict(request.user, "view")
            .filter(kind.matches(term))
            .select_related(*kind.related)
            .order_by()[:PER_KIND]
        )
        opts = model._meta
        url_name = f"admin:{opts.app_label}_{opts.model_name}_change"
        # Any few matches, put in order here: ordering the query by name or code would let
        # the database walk that column's index through every row that does not match.
        for obj in sorted(rows, key=str):
            results.append(
                SearchResult(
                    title=str(obj),
                    description=kind.describe(obj),
                    link=reverse(url_name, args=[obj.pk]),
                    icon=kind.icon,
                )
            )
    return results


def site_search_uncached() -> None:
    """unfold keeps each user's search results for five minutes: a record whose access was
    just withdrawn would still be listed. The admin site's search computes them afresh."""
    import hashlib
    import types

    from django.contrib import admin
    from django.core.cache import cache
    from django.utils.encoding import force_bytes

    site = admin.site
    cached_search = type(site).search

    def search(self, request, extra_context=None):
        term = (request.GET.get("s") or "").lower()
        base = force_bytes(f"{request.user.pk}_{term}")
        cache.delete(f"unfold_search_{hashlib.sha256(base).hexdigest()}")
        return cached_search(self, request, extra_context)

    site.search = types.MethodType(search, site)
