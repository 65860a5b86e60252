"""Shared model plumbing: timestamps and the permission-aware queryset."""

from django.db import models

from realestate.core.querysets import RestrictedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True
