"""Object permissions: how scope is computed and how grants follow assignments.

``scope_filter`` is the single rule behind ``RestrictedQuerySet.restrict``; the admin, the
API, exports and PDF downloads all call ``restrict`` and never look at guardian directly.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from realestate.core.querysets import q_or


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


def granted_id_subqueries(user, model: type[models.Model], action: str) -> list[models.QuerySet]:
    """Id subqueries of the rows of ``model`` granted to ``user`` directly or via a group."""
    implied = IMPLIED_BY.get(action, (action,))
    codenames = [f"{granted}_{model._meta.model_name}" for granted in implied]
    subqueries = []
    for perm_model, owner_filter in (
        (get_user_obj_perms_model(model), {"user": user}),
        (get_group_obj_perms_model(model), {"group__user": user}),
    ):
        if perm_model in (UserObjectPermission, GroupObjectPermission):
            # Generic tables keep the id as text: cast it back so the subquery compares ids.
            rows = perm_model.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                permission__codename__in=codenames,
                **owner_filter,
            )
            subqueries.append(
                rows.annotate(granted_id=Cast("object_pk", models.BigIntegerField())).values(
                    "granted_id"
                )
            )
        else:
            rows = perm_model.objects.filter(permission__codename__in=codenames, **owner_filter)
            subqueries.append(rows.values("content_object_id"))
    return subqueries


def scope_filter(user, model: type[models.Model], action: str):
    """None: every row; False: no row; a Q: the rows the user may act on."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_unrestricted(user, model, action):
        return None
    conditions = [Q(pk__in=ids) for ids in granted_id_subqueries(user, model, action)]
    for parent in getattr(model, "scope_parents", ()):
        # Grants on a parent (a leasing manager's building) reach the rows under it; a
        # parent visible to everybody (projects) does not open its children to everybody.
        parent_model = model._meta.get_field(parent).related_model
        conditions.extend(
            Q(**{f"{parent}__in": ids})
            for ids in granted_id_subqueries(user, parent_model, action)
        )
    return q_or(conditions)


def has_any_grant(user, model: type[models.Model], action: str) -> bool:
    """Whether the user may act on at least one row: decides menus and module access."""
    condition = scope_filter(user, model, action)
    if condition is None:
        return True
    if condition is False:
        return False
    return model._default_manager.filter(condition).exists()


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
    if perm_model is UserObjectPermission:
        content_type = ContentType.objects.get_for_model(model)
        rows = [
            UserObjectPermission(user=user, permission=permission, content_type=content_type,
                                 object_pk=str(object_id))
            for object_id, user in pairs for permission in permissions
        ]
    else:
        rows = [
            perm_model(user=user, permission=permission, content_object_id=object_id)
            for object_id, user in pairs for permission in permissions
        ]
    perm_model.objects.bulk_create(rows, ignore_conflicts=True, batch_size=batch_size)
    return len(rows)
