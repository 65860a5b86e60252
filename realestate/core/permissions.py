"""Object permissions: how scope is computed and how grants follow assignments.

``scope_filter`` is the single rule behind ``RestrictedQuerySet.restrict``; the admin, the
API, exports and PDF downloads all call ``restrict`` and never look at guardian directly.
"""

from __future__ import annotations

import functools

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.dispatch import Signal
from guardian.models import (
    GroupObjectPermission,
    GroupObjectPermissionBase,
    UserObjectPermission,
    UserObjectPermissionBase,
)
from guardian.shortcuts import assign_perm, remove_perm
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model


def can_manage_grants(user) -> bool:
    """Whether the user may hand out access: grant single records by hand, or change a field
    that grants (a branch's or a building's manager)."""
    return bool(
        user and user.is_active and (user.is_superuser or user.has_perm("accounts.manage_grants"))
    )


#: Users who may be assigned a sales record: staff with an active agent profile.
def is_agent_field(model, name: str) -> bool:
    """Whether ``model.name`` names the sales agent of the record (``agent_fields``)."""
    return name in getattr(model, "agent_fields", ())


def assignable_users(user, queryset, current_ids=(), *, agents_only=False):
    """Whom ``user`` may assign a record to: the user model's queryset decides
    (``accounts.models.UserQuerySet.assignable_by``)."""
    return queryset.assignable_by(user, current_ids, agents_only=agents_only)


def perm_name(model: type[models.Model], action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


#: A grant to change a record lets its holder see it, as in Django's own admin.
IMPLIED_BY = {"view": ("view", "change")}


def is_unrestricted(user, model: type[models.Model], action: str) -> bool:
    """True when the user's roles give the action on every row of the model."""
    return user.is_superuser or any(
        user.has_perm(perm_name(model, granted)) for granted in IMPLIED_BY.get(action, (action,))
    )


#: Sent when a grant, a group membership or a permission changed (``grants_changed``):
#: ``core.access`` counts the shared access epoch up once the transaction commits.
access_changed = Signal()

#: Bumped whenever a grant, a group membership or a role's permissions change in this process,
#: so a user object never answers from a grant summary older than a change it could have seen.
_grants_version = 0


def grants_changed(*args, **kwargs) -> None:
    """A grant, a group membership or a permission of a role or a user changed (a signal's
    receiver, or called after changing them in SQL): this process reads them again at once,
    and every process once the transaction commits (``core.access``)."""
    global _grants_version
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: counted on its post_ action
    _grants_version += 1
    access_changed.send(sender=None, using=kwargs.get("using"))


def grant_tables() -> list[tuple[type[models.Model], str]]:
    """Every guardian table, generic and direct, with the lookup from a grant to its user."""
    tables = []
    for model in apps.get_models():
        if issubclass(model, UserObjectPermissionBase):
            tables.append((model, "user"))
        elif issubclass(model, GroupObjectPermissionBase):
            tables.append((model, "group__user"))
    return tables


def grant_summary(user) -> frozenset[tuple[int, str, str, int]]:
    """What kinds of object grants ``user`` holds: ``(content type id, codename, via,
    permission id)`` with ``via`` "user" or "group".

    One query, kept on the user object (a request's user) until a grant changes: for each grant
    table, the permissions that have at least one row for the user, each found by an index
    probe (``EXISTS``), so its cost does not grow with the number of grants. ``scope_filter``
    then builds subqueries only for the grants that exist, by permission id, and menus are
    answered without a query.
    """
    cached = getattr(user, "_grant_summary", None)
    if cached is not None and cached[0] == _grants_version:
        return cached[1]
    version = _grants_version
    sql, param_kinds = _grant_summary_sql(connections[router.db_for_read(Permission)].vendor)
    params = [
        user.pk if kind == "user" else ContentType.objects.get_for_model(kind).pk
        for kind in param_kinds
    ]
    with connections[router.db_for_read(Permission)].cursor() as cursor:
        cursor.execute(sql, params)
        summary = frozenset(tuple(row) for row in cursor.fetchall())
    user._grant_summary = (version, summary)
    return summary


@functools.cache
def _grant_summary_sql(vendor: str) -> tuple[str, tuple]:
    """The summary query, written once per process: the ORM would rebuild a union of twenty
    querysets on every request. Returns the SQL and what each parameter stands for (the user,
    or a model whose content type id goes there)."""
    from django.contrib.auth import get_user_model

    quote = connections[router.db_for_read(Permission)].ops.quote_name
    memberships = get_user_model().groups.through._meta
    member_user = memberships.get_field("user").column
    member_group = memberships.get_field("group").column
    parts, kinds = [], []
    for table, owner in grant_tables():
        name = quote(table._meta.db_table)
        if owner == "user":
            owned = f"g.{quote(table._meta.get_field('user').column)} = %s"
            joined, via = "", "user"
        else:
            group = quote(table._meta.get_field("group").column)
            joined = f" JOIN {quote(memberships.db_table)} m ON m.{quote(member_group)} = g.{group}"
            owned = f"m.{quote(member_user)} = %s"
            via = "group"
        where = f"EXISTS (SELECT 1 FROM {name} g{joined} WHERE g.permission_id = p.id AND {owned})"
        target = table._meta.get_field("content_object")
        if isinstance(target, GenericForeignKey):
            kinds.append("user")
        else:
            # A direct table holds grants on one model only.
            where = f"p.content_type_id = %s AND {where}"
            kinds.extend([target.related_model, "user"])
        parts.append(
            f"SELECT p.content_type_id, p.codename, '{via}', p.id "
            f"FROM {quote(Permission._meta.db_table)} p WHERE {where}"
        )
    return " UNION ALL ".join(parts), tuple(kinds)


def _codenames(model: type[models.Model], action: str) -> list[str]:
    return [f"{granted}_{model._meta.model_name}" for granted in IMPLIED_BY.get(action, (action,))]


def granted_id_subqueries(
    user, model: type[models.Model], action: str, narrow: Q | None = None
) -> list[models.QuerySet]:
    """Id subqueries of the rows of ``model`` granted to ``user`` directly or via a group,
    one per grant table that holds such a grant (none when the user holds none).

    ``narrow`` filters the rows of the model's own grant tables (the direct ones, whose
    columns it names, e.g. the location ``UnitUserObjectPermission`` copies): the caller
    promises that every row it selects meets it anyway, so only the grants that can lead to
    such a row are read (``narrowed``: a ``Q`` on the grant rows, or ``FirstGrants``).
    Generic tables are not narrowed (they copy nothing)."""
    codenames = _codenames(model, action)
    content_type_id = ContentType.objects.get_for_model(model).pk
    held: dict[str, list[int]] = {}
    for ct, codename, via, permission_id in grant_summary(user):
        if ct == content_type_id and codename in codenames:
            held.setdefault(via, []).append(permission_id)
    subqueries = []
    for via, perm_model, owner_filter in (
        ("user", get_user_obj_perms_model(model), {"user": user}),
        ("group", get_group_obj_perms_model(model), {"group__user": user}),
    ):
        if via not in held:
            continue
        rows = perm_model.objects.filter(permission_id__in=sorted(held[via]), **owner_filter)
        if perm_model in (UserObjectPermission, GroupObjectPermission):
            # Generic tables keep the id as text: cast it back so the subquery compares ids.
            rows = rows.filter(content_type_id=content_type_id).annotate(
                granted_id=Cast("object_pk", models.BigIntegerField())
            )
            subqueries.append(rows.values("granted_id"))
        else:
            ids = rows.values("content_object_id")
            if narrow is not None:
                ids = narrowed(ids, narrow, permissions=len(held[via]))
            subqueries.append(ids)
    return subqueries


class FirstGrants:
    """A narrowing (``restrict(narrow=...)``) for a list read in the order of a column the
    model's grants copy (a unit's code, ``properties/0008``) with no other filter: its first
    ``rows`` rows are granted by the caller's first grants in that order, so only those are
    read. ``rows`` counts from the list's start to the end of the page read (and the row after
    it): a grant row holds one permission, so ``rows`` units take at most ``rows`` grant rows
    for each permission that reaches them."""

    def __init__(self, order_by: str, rows: int):
        self.order_by = order_by
        self.rows = rows

    def __call__(self, ids: models.QuerySet, permissions: int) -> models.QuerySet:
        return ids.order_by(self.order_by)[: self.rows * permissions]


def narrowed(ids: models.QuerySet, narrow, *, permissions: int) -> models.QuerySet:
    """The grant ids ``narrow`` leaves: a condition on the grant rows (a ``Q``), or a
    narrowing such as ``FirstGrants`` given how many permissions the rows are of."""
    return ids.filter(narrow) if isinstance(narrow, Q) else narrow(ids, permissions)


def q_or(conditions: list[Q]) -> Q | bool:
    """The conditions OR-ed together; False (no row) when there are none."""
    if not conditions:
        return False
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def path_model(model: type[models.Model], path: str) -> type[models.Model]:
    """The model a lookup path such as ``unit__building`` ends on."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def scope_filter(user, model: type[models.Model], action: str, *, narrow: Q | None = None):
    """None: every row; False: no row; a Q: the rows the user may act on.

    Rows granted to the user (or a group of theirs), plus rows under a granted *scope parent*:
    ``scope_parents`` lists lookup paths to records whose grant reaches this one (a leasing
    manager's building reaches its units, leases and maintenance; a sales manager's branch
    reaches the records assigned to its agents). A parent everybody may see (projects) does not
    open its children to everybody: only object grants on parents count. ``narrow``: see
    ``granted_id_subqueries`` (the model's own grants only; the scope stays the same).

    An API caller's conditions are remembered with what decides them (``core.access``: the
    user's permissions and kinds of grants, kept while none of them changes), by model,
    action and this process's change count: building them was a tenth of a request's time.
    The conditions are subqueries, so the grants themselves are read by each query anyway.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_unrestricted(user, model, action):
        return None
    own = (
        _own_grants(user, model, action, narrow)  # narrowed: for this request only
        if narrow is not None
        else _remember(user, (model, action, "own"), _own_grants, user, model, action, None)
    )
    return q_or(own + _inherited_remembered(user, model, action))


#: Not remembered yet (``scope_filter``).
_UNKNOWN = object()


def _remember(user, key: tuple, make, *args):
    """``make(*args)``, kept on the user's remembered conditions by ``key`` and this
    process's change count; outside an API request nothing is kept beyond this call."""
    remembered = getattr(user, "_scope_conditions", None)
    if remembered is None:
        return make(*args)
    key = (*key, _grants_version)
    found = remembered.get(key, _UNKNOWN)
    if found is _UNKNOWN:
        found = remembered[key] = make(*args)
    return found


def _inherited_remembered(user, model: type[models.Model], action: str) -> list[Q]:
    return _remember(user, (model, action, "inherited"), _inherited, user, model, action)


def scope_grant_rows(
    user, model: type[models.Model], action: str, narrow: Q | None = None
) -> list[models.QuerySet] | None:
    """The user's whole scope of ``model`` as rows of the model's own (direct) grant tables,
    ``narrow``-ed as ``granted_id_subqueries`` narrows them: one queryset per table holding
    such a grant, each of the granted row's id (``content_object_id``), one row per grant
    (a row granted both to see and to change, or to the user and to a group of theirs,
    comes more than once). None when the scope is anything else: every row, none, rows
    reached through a scope parent or a portal path, or grants in a generic table. A
    search over what the grants copy of their rows (a unit's location) can then be answered
    from the grants alone (``properties.selectors.GrantedNear``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if is_unrestricted(user, model, action):
        return None
    if _inherited_remembered(user, model, action):
        return None
    found = granted_id_subqueries(user, model, action, narrow=narrow)
    if not found or any(
        rows.model in (UserObjectPermission, GroupObjectPermission) for rows in found
    ):
        return None
    return found


def _own_grants(user, model: type[models.Model], action: str, narrow: Q | None) -> list[Q]:
    """The rows of the model granted to the user or a group of theirs."""
    return [Q(pk__in=ids) for ids in granted_id_subqueries(user, model, action, narrow=narrow)]


def _inherited(user, model: type[models.Model], action: str) -> list[Q]:
    """The rows a portal user's paths or a granted scope parent lead to."""
    conditions = portal_conditions(user, model, action)
    for path in getattr(model, "scope_parents", ()):
        conditions.extend(
            Q(**{f"{path}__in": ids})
            for ids in granted_id_subqueries(user, path_model(model, path), action)
        )
    return conditions


def portal_conditions(user, model: type[models.Model], action: str) -> list[Q]:
    """What an owner or a tenant (a *portal user*: a client's app login, never staff) sees of
    a model: the rows its ``portal_scope`` paths lead from to them, e.g. a lease whose
    ``tenant__portal_user`` they are. Only ever to see: a portal user changes nothing but
    through a service that checks what it takes. Staff get nothing from here, so this branch
    never widens a staff rule (their scope is their roles and grants)."""
    if user.is_staff or action != "view":
        return []
    return [Q(**{path: user}) for path in getattr(model, "portal_scope", ())]


def has_any_grant(user, model: type[models.Model], action: str) -> bool:
    """Whether the user holds a permission that reaches rows of the model (globally, on rows,
    or on a scope parent): decides menus and module access, without a query."""
    return scope_filter(user, model, action) is not False


ASSIGNMENT_ACTIONS = ("view", "change")


def grants_move(obj: models.Model, *, old_user, new_user, actions=ASSIGNMENT_ACTIONS) -> None:
    """Make the object's grants follow its assignment: the old assignee loses them."""
    if old_user == new_user:
        return
    model_name = obj._meta.model_name
    with transaction.atomic():
        for action in actions:
            perm = f"{obj._meta.app_label}.{action}_{model_name}"
            if old_user is not None:
                remove_perm(perm, old_user, obj)
            if new_user is not None:
                assign_perm(perm, new_user, obj)


def grant(obj: models.Model, user_or_group, actions=ASSIGNMENT_ACTIONS) -> None:
    for action in actions:
        assign_perm(f"{obj._meta.app_label}.{action}_{obj._meta.model_name}", user_or_group, obj)


def model_permission(model: type[models.Model], action: str) -> Permission:
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model),
        codename=f"{action}_{model._meta.model_name}",
    )


def grants_bulk_assign(model, pairs, actions=ASSIGNMENT_ACTIONS, batch_size: int = 5000) -> int:
    """Grant ``actions`` on many rows at once: ``pairs`` is ``[(object_id, user), ...]``.

    For bulk loads (imports, demo data) that bypass the per-save assignment signal.
    """
    permissions = [model_permission(model, action) for action in actions]
    perm_model = get_user_obj_perms_model(model)
    alias = router.db_for_write(perm_model)
    if perm_model is not UserObjectPermission and connections[alias].vendor == "postgresql":
        # The table of the model's own grants, in one statement of three arrays.
        columns = [
            perm_model._meta.get_field(name).column
            for name in ("user", "permission", "content_object")
        ]
        values = [
            (getattr(user, "pk", user), permission.pk, object_id)
            for object_id, user in pairs
            for permission in permissions
        ]
        quote = connections[alias].ops.quote_name
        with connections[alias].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(perm_model._meta.db_table)} "
                f"({', '.join(quote(column) for column in columns)}) "
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) "
                "ON CONFLICT DO NOTHING",
                [list(column) for column in zip(*values, strict=True)] if values else [[], [], []],
            )
        grants_changed()
        return len(values)
    if perm_model is UserObjectPermission:
        content_type = ContentType.objects.get_for_model(model)
        rows = [
            UserObjectPermission(
                user=user,
                permission=permission,
                content_type=content_type,
                object_pk=str(object_id),
            )
            for object_id, user in pairs
            for permission in permissions
        ]
    else:
        rows = [
            perm_model(user=user, permission=permission, content_object_id=object_id)
            for object_id, user in pairs
            for permission in permissions
        ]
    perm_model.objects.bulk_create(rows, ignore_conflicts=True, batch_size=batch_size)
    grants_changed()
    return len(rows)


def grants_bulk_remove(model, pairs, actions=ASSIGNMENT_ACTIONS) -> int:
    """Take ``actions`` on many rows away from their former assignees: ``pairs`` is
    ``[(object_id, user_id), ...]`` (bulk loads, as ``grants_bulk_assign``)."""
    permissions = [model_permission(model, action) for action in actions]
    perm_model = get_user_obj_perms_model(model)
    by_user: dict[int, list] = {}
    for object_id, user_id in pairs:
        by_user.setdefault(user_id, []).append(object_id)
    removed = 0
    for user_id, object_ids in by_user.items():
        rows = perm_model.objects.filter(user_id=user_id, permission__in=permissions)
        if perm_model is UserObjectPermission:
            rows = rows.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_pk__in=[str(object_id) for object_id in object_ids],
            )
        else:
            rows = rows.filter(content_object_id__in=object_ids)
        removed += rows.delete()[0]
    grants_changed()
    return removed
