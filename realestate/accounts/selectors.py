"""Read queries over staff: agents and whom one may assign records to."""

from __future__ import annotations

from realestate.accounts.models import User


def active_agents():
    """Staff with an active agent profile: the only ones a sales record is assigned to."""
    return User.objects.active_agents()


def assignable_users(user, queryset=None, current_ids=(), *, agents_only=False):
    """Whom ``user`` may assign a record to (``UserQuerySet.assignable_by``)."""
    queryset = User.objects.all() if queryset is None else queryset
    return queryset.assignable_by(user, current_ids, agents_only=agents_only)
