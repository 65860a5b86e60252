"""Demo clients, leads and viewings. Used by ``seed_demo``."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from realestate.clients import services
from realestate.clients.choices import (
    ClientKind,
    ClientSource,
    IdentityDocument,
    LeadStatus,
    LostReason,
    ViewingStatus,
)
from realestate.clients.models import Client, Lead, Viewing
from realestate.properties.choices import UnitStatus, UnitType
from realestate.properties.models import Unit

FIRST = [
    "Aisha",
    "Mohammed",
    "Sara",
    "Rahul",
    "Elena",
    "James",
    "Fatima",
    "Yusuf",
    "Priya",
    "Liam",
    "Noura",
    "Hassan",
    "Olga",
    "Chen",
    "Maria",
    "Ahmed",
    "Zara",
    "Lucas",
    "Mei",
    "Khalid",
]
LAST = [
    "Al Mansoori",
    "Khan",
    "Sharma",
    "Petrova",
    "Smith",
    "Haddad",
    "Rahman",
    "Ivanova",
    "Wang",
    "Garcia",
    "Al Suwaidi",
    "Patel",
    "Müller",
    "Kim",
    "O'Brien",
    "Saleh",
]
COMPANIES = [
    "Gulf Horizon Trading LLC",
    "Crescent Holdings",
    "Atlas Retail FZE",
    "Blue Dhow Logistics",
    "Sandstone Ventures",
]

PIPELINE = [
    LeadStatus.NEW,
    LeadStatus.CONTACTED,
    LeadStatus.QUALIFIED,
    LeadStatus.VIEWING,
    LeadStatus.NEGOTIATION,
]


def demo_email(name: str, n: int) -> str:
    """A demo client's e-mail address, its local part in ASCII ("Müller" -> "muller")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return f"{ascii_name.lower().replace(' ', '.').replace(chr(39), '')}.{n}@example.com"


def seed(rng, *, users, clients: int = 60) -> None:
    if Client.objects.exists():
        return
    agents = [users["agent1"], users["agent2"]]
    today = timezone.localdate()
    created = []
    for n in range(clients):
        company = n % 12 == 11
        name = (
            COMPANIES[n % len(COMPANIES)] if company else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        )
        created.append(
            Client.objects.create(
                kind=ClientKind.COMPANY if company else ClientKind.INDIVIDUAL,
                name=name,
                email=demo_email(name, n),
                phone=(
                    f"+971 5{rng.randint(0, 8)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
                ),
                id_type=IdentityDocument.TRADE_LICENCE
                if company
                else rng.choice([IdentityDocument.NATIONAL_ID, IdentityDocument.PASSPORT]),
                id_number=f"{rng.randint(10**8, 10**9 - 1)}",
                id_expiry=today + timedelta(days=rng.randint(-30, 1500)),
                agent=agents[n % 2],
                source=rng.choice(ClientSource.values),
            )
        )

    for client in created:
        for _ in range(rng.choice([1, 1, 2])):
            agent = client.agent
            unit = (
                Unit.objects.filter(agent=agent, status=UnitStatus.AVAILABLE).order_by("?").first()
                if rng.random() < 0.6
                else None
            )
            lead = Lead.objects.create(
                client=client,
                agent=agent,
                unit=unit,
                project=unit.project if unit else None,
                unit_type="" if unit else rng.choice([UnitType.APARTMENT, UnitType.VILLA]),
                bedrooms=None if unit else rng.randint(1, 4),
                budget_max=None if unit else Decimal(rng.randrange(1_000_000, 6_000_000, 250_000)),
                source=client.source,
                next_follow_up=today + timedelta(days=rng.randint(-3, 14)),
            )
            target = rng.choice(PIPELINE + [LeadStatus.WON, LeadStatus.LOST])
            _walk(lead, target, agent)
            if unit and lead.status in (
                LeadStatus.VIEWING,
                LeadStatus.NEGOTIATION,
                LeadStatus.QUALIFIED,
            ):
                when = timezone.now() + timedelta(
                    days=rng.randint(-10, 10), hours=rng.randint(0, 8)
                )
                viewing = Viewing.objects.create(
                    client=client, unit=unit, lead=lead, agent=agent, scheduled_at=when
                )
                if when < timezone.now():
                    services.viewing_status_change(
                        viewing=viewing,
                        status=rng.choice(
                            [ViewingStatus.DONE, ViewingStatus.DONE, ViewingStatus.NO_SHOW]
                        ),
                        by=agent,
                        feedback=rng.choice(
                            ["Liked the layout.", "Found it small.", "Wants a higher floor.", ""]
                        ),
                    )


def _walk(lead: Lead, target: str, by) -> None:
    """Move a lead through the pipeline to ``target`` the way staff would, via the service."""
    if target == LeadStatus.LOST:
        services.lead_status_change(
            lead=lead, status=LeadStatus.LOST, by=by, lost_reason=LostReason.PRICE
        )
        return
    path = PIPELINE + [LeadStatus.WON]
    for status in path[1 : path.index(target) + 1]:
        services.lead_status_change(lead=lead, status=status, by=by)
