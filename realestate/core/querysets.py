"""One place decides what a user may see or change: ``queryset.restrict(user, action)``.

Rules, in order:
- an inactive or anonymous user sees nothing;
- a superuser, or a user whose roles grant the model permission globally
  (``properties.view_unit``), sees every row;
- everybody else sees the rows granted to them or to one of their groups as object
  permissions (django-guardian), plus rows whose *scope parent* is granted (a model lists
  ``scope_parents = ("building", "project")`` to inherit its parents' grants);
- an owner or a tenant (a client's app login, never staff) sees, besides, the rows its
  ``portal_scope`` paths lead from to them (``tenant__portal_user``): their own leases,
  invoices, payments, units, statements and maintenance requests. Only to see, and never
  for staff, so it widens no staff rule.

Filtering is done with id subqueries over guardian's tables (the direct foreign-key tables
where a model has them), never by loading the granted ids into Python, so the cost does not
grow with the number of grants.
"""

from __future__ import annotations

from django.db import models

ACTIONS = ("view", "change", "delete")

#: The scope path from a record assigned to an agent to the agent's branch: a grant on a
#: branch (its manager's) reaches every record assigned to the branch's agents.
AGENT_BRANCH = "agent__agent_profile__branch"


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view", *, narrow=None) -> RestrictedQuerySet:
        """The rows ``user`` may ``action``. ``narrow``: a condition on the model's grant rows
        that every row the caller goes on to select meets anyway (a ``near`` search's circle
        on the location its unit grants copy), so the database starts from those grants only;
        it never widens the scope (``permissions.granted_id_subqueries``)."""
        from realestate.core.permissions import scope_filter

        condition = scope_filter(user, self.model, action, narrow=narrow)
        if condition is None:
            return self
        if condition is False:
            return self.none()
        return self.filter(condition)
