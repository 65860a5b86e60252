"""Demo data: staff logins, branches, projects, buildings, units, clients and leads, then
sales (plans, reservations, contracts), leasing (owners, leases, rent, maintenance) and money
(payments, a reversal, late fees, owner statements), all through the services.

The first run fills an empty database; later runs see the demo users and do nothing, so
``make run`` can call it every time. ``--units N`` sets how many units to create (large
numbers for benchmarks go through bulk inserts).
"""

import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from realestate.accounts import demo as accounts_demo
from realestate.accounts.models import User
from realestate.clients import demo as clients_demo
from realestate.documents import demo as documents_demo
from realestate.finance import demo as finance_demo
from realestate.leasing import demo as leasing_demo
from realestate.notifications import demo as notifications_demo
from realestate.properties import demo as properties_demo
from realestate.sales import demo as sales_demo


class Command(BaseCommand):
    help = "Load demo data (only into a database that has none yet)."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=240, help="units to create (>= 200)")
        parser.add_argument("--clients", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="quietly do nothing when demo data is already there",
        )

    def handle(self, *args, units, clients, seed, if_empty, **options):
        if User.objects.filter(username="admin").exists():
            message = "Demo data is already loaded; nothing to do."
            if not if_empty:
                self.stdout.write(self.style.WARNING(message))
            return
        rng = random.Random(seed)
        started = time.perf_counter()
        with transaction.atomic():
            users = accounts_demo.seed(rng)
            properties_demo.seed(rng, users=users, units=units)
            clients_demo.seed(rng, users=users, clients=clients)
            sales_demo.seed(rng, users=users)
            leasing = leasing_demo.seed(rng, users=users)
            finance_demo.policies(rng, users=users)
            leasing_demo.rent_payments(rng, users=users, leasing=leasing)
            finance_demo.seed(rng, users=users)
            documents_demo.company(rng)
            notifications_demo.seed()
            leasing_demo.app_logins()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {time.perf_counter() - started:.1f}s: {units} units, "
                f"{clients} clients, {_counts()}. Logins: admin/admin, manager/manager, "
                "agent1/agent1, agent2/agent2, leasing/leasing, accountant/accountant, "
                "auditor/auditor; app: tenant1/tenant1, tenant2/tenant2, owner1/owner1, "
                "owner2/owner2."
            )
        )


def _counts() -> str:
    from realestate.finance.choices import ReceivableKind
    from realestate.finance.models import LateFeePolicy, OwnerStatement, Payment, Receivable
    from realestate.leasing.models import Lease, MaintenanceRequest
    from realestate.sales.models import Reservation, SaleContract

    counts = [
        (Reservation.objects.count(), "reservations"),
        (SaleContract.objects.count(), "sale contracts"),
        (Lease.objects.count(), "leases"),
        (Receivable.objects.count(), "receivables"),
        (Receivable.objects.filter(kind=ReceivableKind.LATE_FEE).count(), "late fees"),
        (Payment.objects.count(), "payments"),
        (LateFeePolicy.objects.count(), "late-fee policies"),
        (MaintenanceRequest.objects.count(), "maintenance requests"),
        (OwnerStatement.objects.count(), "owner statements"),
    ]
    return ", ".join(f"{n} {label}" for n, label in counts)
