"""Scheduled jobs of sales. Each is safe to run twice, late, or concurrently."""

from realestate.core.schedules import JobSchedule
from realestate.sales import services

SCHEDULES = [
    JobSchedule(
        name="reservations-expire",
        func="realestate.sales.tasks.reservations_expire",
        cron="*/15 * * * *",
        description="Releases reservations past their expiry and frees their units.",
    ),
]


def reservations_expire() -> str:
    return f"{services.reservations_expire()} reservation(s) expired"
