"""Scheduled jobs of leasing. Each is safe to run twice, late, or concurrently."""

from realestate.core.schedules import JobSchedule
from realestate.leasing import services

SCHEDULES = [
    JobSchedule(
        name="rent-invoices-monthly",
        func="realestate.leasing.tasks.rent_invoices_issue",
        cron="0 1 1 * *",
        description="Invoices the month's rent for every active lease.",
    ),
    JobSchedule(
        name="leases-expire-nightly",
        func="realestate.leasing.tasks.leases_expire",
        cron="15 0 * * *",
        description="Ends fixed leases past their end; rolls rolling leases over.",
    ),
]


def rent_invoices_issue() -> str:
    return f"{services.rent_invoices_issue()} rent invoice(s) issued"


def leases_expire() -> str:
    return str(services.leases_expire())
