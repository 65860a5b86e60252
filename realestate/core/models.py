"""Shared model plumbing: timestamps and the permission-aware queryset."""

from django.db import models

from realestate.core.querysets import RestrictedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class NumberSequence(models.Model):
    """The last number issued for one prefix in one year (see ``core.numbering``)."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="number_sequence_unique")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_value}"


class SharedCounter(models.Model):
    """One counter of ``core.counters`` (login failures, API calls, revoked tokens) when there
    is no Redis: a row per key, counted up by one atomic upsert, void once ``expires_at``
    (seconds since the epoch) has passed."""

    key = models.CharField(max_length=255, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.FloatField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
