"""django-q2's admin pages, re-registered on unfold so jobs look like the rest of the admin."""

from django.contrib import admin
from django_q import admin as q_admin
from django_q.models import Failure, OrmQ, Schedule, Success
from unfold.admin import ModelAdmin

from realestate.core.admin.base import MissingIs404Mixin

for model, base in (
    (Schedule, q_admin.ScheduleAdmin),
    (Success, q_admin.TaskAdmin),
    (Failure, q_admin.FailAdmin),
    (OrmQ, q_admin.QueueAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(
        model, type(f"Unfold{base.__name__}", (MissingIs404Mixin, base, ModelAdmin), {})
    )
