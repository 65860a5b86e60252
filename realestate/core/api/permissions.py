"""API scoping: every view's queryset goes through ``restrict(user, action)``."""

ACTION_BY_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedViewSetMixin:
    """Lists and details show only what the caller may see; others' records are 404."""

    def get_queryset(self):
        return self.scoped_queryset(self.scope_narrowing())

    def scoped_queryset(self, narrow=None):
        """The view's queryset restricted to the caller, its own grants narrowed by ``narrow``
        (``RestrictedQuerySet.restrict``)."""
        return (
            super().get_queryset().restrict(self.request.user, self.scope_action(), narrow=narrow)
        )

    def scope_action(self) -> str:
        """What the request does to the rows it reaches (``view`` for a read)."""
        return ACTION_BY_METHOD.get(self.request.method, "view")

    def scope_narrowing(self):
        """A condition on the model's grant rows that the request's filters imply (see
        ``RestrictedQuerySet.restrict``), or None."""
        return None
