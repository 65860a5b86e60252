"""Scheduled jobs: every app lists its schedules in ``tasks.py`` as ``SCHEDULES``.

``schedules_register`` creates or updates one django-q2 ``Schedule`` per entry, keyed by
name, so running it twice leaves exactly one schedule per job.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.db import transaction


@dataclass(frozen=True)
class JobSchedule:
    name: str
    func: str
    cron: str
    description: str = ""


def declared_schedules() -> list[JobSchedule]:
    found = []
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("realestate."):
            continue
        try:
            module = import_module(f"{app_config.name}.tasks")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.tasks":
                raise
            continue
        found.extend(getattr(module, "SCHEDULES", ()))
    return found


def schedules_register(using: str = "default") -> list:
    from django_q.models import Schedule

    registered = []
    with transaction.atomic(using=using):
        for job in declared_schedules():
            schedule, _ = Schedule.objects.using(using).update_or_create(
                name=job.name,
                defaults={"func": job.func, "schedule_type": Schedule.CRON, "cron": job.cron},
            )
            registered.append(schedule)
    return registered
