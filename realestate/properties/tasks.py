"""Scheduled jobs of the inventory (django-q2). Each is safe to run twice."""

from realestate.core.schedules import JobSchedule
from realestate.properties import services

SCHEDULES = [
    JobSchedule(
        name="inventory-snapshot-nightly",
        func="realestate.properties.tasks.inventory_snapshot_take",
        cron="5 0 * * *",
        description="Counts units by status each night.",
    ),
]


def inventory_snapshot_take() -> str:
    snapshot = services.inventory_snapshot_take()
    return f"{snapshot.taken_on}: {snapshot.total} units {snapshot.by_status}"
