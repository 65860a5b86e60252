"""Demo inventory in Dubai, at true coordinates. Used by ``seed_demo``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.gis.geos import Point, Polygon
from django.db import transaction

from realestate.core.permissions import grants_bulk_assign
from realestate.properties.choices import ProjectStatus, UnitPurpose, UnitStatus, UnitType
from realestate.properties.models import Amenity, Building, Project, Unit

AMENITIES = [
    "Pool",
    "Gym",
    "Covered parking",
    "Sea view",
    "Balcony",
    "Maid's room",
    "Private garden",
    "Concierge",
    "Kids' play area",
    "Study",
]

# code, name, status, lng, lat, address, launch, handover, agent, towers
PROJECTS = [
    (
        "marina-heights",
        "Marina Heights",
        ProjectStatus.COMPLETED,
        55.1403,
        25.0805,
        "Al Marsa St, Dubai Marina",
        date(2019, 3, 1),
        date(2022, 6, 30),
        "agent1",
        [("MH-A", "Tower A", 42), ("MH-B", "Tower B", 38)],
    ),
    (
        "palm-crescent",
        "Palm Crescent Villas",
        ProjectStatus.UNDER_CONSTRUCTION,
        55.1390,
        25.1124,
        "Frond G, Palm Jumeirah",
        date(2024, 1, 15),
        date(2027, 9, 30),
        "agent1",
        [],
    ),
    (
        "downtown-boulevard",
        "Downtown Boulevard Residences",
        ProjectStatus.COMPLETED,
        55.2744,
        25.1972,
        "Sheikh Mohammed bin Rashid Blvd, Downtown Dubai",
        date(2018, 5, 1),
        date(2021, 12, 15),
        "agent2",
        [("DB-1", "Boulevard One", 55), ("DB-2", "Boulevard Two", 48)],
    ),
    (
        "bay-square",
        "Bay Square Offices",
        ProjectStatus.COMPLETED,
        55.2817,
        25.1868,
        "Bay Square, Business Bay",
        date(2016, 2, 1),
        date(2019, 3, 31),
        "agent2",
        [("BSQ-7", "Building 7", 12)],
    ),
    (
        "jvc-gardens",
        "JVC Gardens",
        ProjectStatus.PLANNING,
        55.2090,
        25.0590,
        "District 12, Jumeirah Village Circle",
        date(2026, 1, 10),
        date(2029, 6, 30),
        "agent2",
        [("JVC-G1", "Garden Block 1", 14)],
    ),
]

#: Projects in the demo leasing manager's portfolio.
MANAGED = {"marina-heights", "downtown-boulevard"}
#: Buildings with a property manager of their own (besides their project's): the
#: administrator looks after one tower, and hears of its leases and maintenance.
BUILDING_MANAGERS = {"MH-B": "admin"}

TYPE_SPECS = {
    # type: (bedrooms range, area per bedroom, price per m², rent per m² per month)
    UnitType.APARTMENT: ((0, 4), 55, 18500, 95),
    UnitType.VILLA: ((3, 6), 95, 21000, 80),
    UnitType.TOWNHOUSE: ((2, 4), 80, 15500, 70),
    UnitType.OFFICE: ((0, 0), 0, 14000, 110),
    UnitType.SHOP: ((0, 0), 0, 16000, 150),
    UnitType.PARKING: ((0, 0), 0, 0, 0),
}


def _around(point: Point, rng, metres: float) -> Point:
    # ~111 km per degree; good enough for a scatter of a few hundred metres.
    return Point(
        point.x + rng.uniform(-metres, metres) / 101_000,
        point.y + rng.uniform(-metres, metres) / 111_000,
        srid=4326,
    )


def _boundary(point: Point, metres: float) -> Polygon:
    dx, dy = metres / 101_000, metres / 111_000
    return Polygon.from_bbox((point.x - dx, point.y - dy, point.x + dx, point.y + dy))


def _round_to(amount: Decimal, step: int) -> Decimal:
    return (amount / step).quantize(Decimal("1")) * step + Decimal("0.00")


def _unit_values(rng, unit_type) -> dict:
    (bed_min, bed_max), per_bed, price_m2, rent_m2 = TYPE_SPECS[unit_type]
    bedrooms = rng.randint(bed_min, bed_max)
    if unit_type == UnitType.PARKING:
        area = Decimal("12.50")
        price, rent = Decimal(rng.choice([45000, 60000, 75000])), Decimal("450.00")
    else:
        base = per_bed * max(bedrooms, 1) if per_bed else rng.randint(45, 400)
        area = Decimal(base + rng.randint(0, 40)).quantize(Decimal("0.01"))
        price = _round_to(area * price_m2 * Decimal(rng.uniform(0.9, 1.25)), 1000)
        rent = _round_to(area * rent_m2 * Decimal(rng.uniform(0.9, 1.2)), 50)
    purpose = rng.choices([UnitPurpose.SALE, UnitPurpose.RENT, UnitPurpose.BOTH], [5, 3, 2])[0]
    return {
        "bedrooms": bedrooms,
        "bathrooms": max(1, bedrooms) if unit_type != UnitType.PARKING else 0,
        "area_sqm": area,
        "purpose": purpose,
        "list_price": price if purpose != UnitPurpose.RENT else None,
        "monthly_rent": rent if purpose != UnitPurpose.SALE else None,
    }


def seed(rng, *, users, units: int = 240, batch_size: int = 2000) -> dict:
    amenities = [Amenity.objects.get_or_create(name=name)[0] for name in AMENITIES]
    projects, buildings = [], []
    for code, name, status, lng, lat, address, launch, handover, agent, towers in PROJECTS:
        centre = Point(lng, lat, srid=4326)
        project, _ = Project.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "status": status,
                "city": "Dubai",
                "address": address,
                "location": centre,
                "boundary": _boundary(centre, 350),
                "launch_date": launch,
                "handover_date": handover,
                # The leasing manager's portfolio: the completed residential towers.
                "manager": users["leasing"] if code in MANAGED else None,
            },
        )
        project_buildings = [
            Building.objects.get_or_create(
                code=b_code,
                defaults={
                    "project": project,
                    "name": b_name,
                    "floors": floors,
                    "location": _around(centre, rng, 120),
                    "manager": users[BUILDING_MANAGERS[b_code]]
                    if b_code in BUILDING_MANAGERS
                    else None,
                },
            )[0]
            for b_code, b_name, floors in towers
        ]
        projects.append((project, project_buildings, users[agent]))
        buildings.extend(project_buildings)

    # Spread units over the projects; a few stand alone (no project), as resale listings do.
    existing = Unit.objects.count()
    to_create, assignments = [], []
    with transaction.atomic():
        for n in range(existing, existing + units):
            if n % 25 == 24:
                project, building, agent = None, None, users[rng.choice(["agent1", "agent2"])]
                unit_type = rng.choice([UnitType.APARTMENT, UnitType.VILLA, UnitType.SHOP])
                location = _around(Point(55.2300, 25.1400, srid=4326), rng, 6000)
                code, floor = f"RS-{n + 1:06d}", None
            else:
                project, project_buildings, agent = projects[n % len(projects)]
                building = rng.choice(project_buildings) if project_buildings else None
                if project.code == "palm-crescent":
                    unit_type = rng.choice([UnitType.VILLA, UnitType.TOWNHOUSE])
                elif project.code == "bay-square":
                    unit_type = rng.choice([UnitType.OFFICE, UnitType.OFFICE, UnitType.SHOP])
                else:
                    unit_type = rng.choices(
                        [UnitType.APARTMENT, UnitType.PARKING, UnitType.SHOP], [12, 1, 1]
                    )[0]
                floor = rng.randint(1, building.floors) if building else None
                location = _around(building.location if building else project.location, rng, 60)
                prefix = building.code if building else project.code[:3].upper()
                code = f"{prefix}-{n + 1:06d}"
            values = _unit_values(rng, unit_type)
            status = rng.choices([UnitStatus.AVAILABLE, UnitStatus.OFF_MARKET], [19, 1])[0]
            to_create.append(
                Unit(
                    code=code,
                    project=project,
                    building=building,
                    unit_type=unit_type,
                    floor=floor,
                    location=location,
                    agent=agent,
                    status=status,
                    currency="AED",
                    **values,
                )
            )
            if len(to_create) >= batch_size:
                assignments.extend(_flush(to_create))
        assignments.extend(_flush(to_create))
        grants_bulk_assign(Unit, assignments)
        through = Unit.amenities.through
        links = []
        for unit_id in Unit.objects.filter(pk__in=[u for u, _ in assignments]).values_list(
            "pk", flat=True
        )[:5000]:
            for amenity in rng.sample(amenities, rng.randint(1, 4)):
                links.append(through(unit_id=unit_id, amenity_id=amenity.pk))
        through.objects.bulk_create(links, ignore_conflicts=True, batch_size=batch_size)
    return {"projects": [p for p, _, _ in projects], "buildings": buildings}


def _flush(batch: list[Unit]) -> list[tuple[int, object]]:
    created = Unit.objects.bulk_create(batch)
    if any(unit.pk is None for unit in created):  # backends that do not return ids
        codes = [unit.code for unit in created]
        ids = dict(Unit.objects.filter(code__in=codes).values_list("code", "pk"))
        for unit in created:
            unit.pk = ids[unit.code]
    pairs = [(unit.pk, unit.agent) for unit in created if unit.agent is not None]
    batch.clear()
    return pairs
