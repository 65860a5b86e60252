"""Demo staff: the logins shown in the README. Created only by ``seed_demo``."""

from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point

from realestate.accounts import roles
from realestate.accounts.models import Agent, Branch, User

BRANCHES = [
    ("marina", "Dubai Marina office", "Marina Walk, Dubai Marina", Point(55.1390, 25.0800)),
    (
        "downtown",
        "Downtown office",
        "Mohammed Bin Rashid Blvd, Downtown Dubai",
        Point(55.2765, 25.1945),
    ),
]

STAFF = [
    # username, first, last, role, branch, superuser
    ("admin", "Amira", "Haddad", roles.ADMINISTRATOR, None, True),
    ("manager", "Omar", "Farouk", roles.SALES_MANAGER, "downtown", False),
    ("agent1", "Layla", "Nasser", roles.SALES_AGENT, "marina", False),
    ("agent2", "Daniel", "Reyes", roles.SALES_AGENT, "downtown", False),
    ("leasing", "Karim", "Aziz", roles.LEASING_MANAGER, "marina", False),
    ("accountant", "Mina", "Tanaka", roles.ACCOUNTANT, None, False),
    ("auditor", "Grace", "Okafor", roles.AUDITOR, None, False),
]


def seed(rng) -> dict[str, User]:
    roles.roles_sync()
    branches = {}
    for code, name, address, location in BRANCHES:
        branches[code], _ = Branch.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "city": "Dubai",
                "address": address,
                "location": location,
                "phone": f"+971 4 {rng.randint(300, 899)} {rng.randint(1000, 9999)}",
                "email": f"{code}@example.com",
            },
        )
    users = {}
    for username, first, last, role, branch, superuser in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.com",
                is_staff=True,
                is_superuser=superuser,
                phone=f"+971 50 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            )
        user.groups.add(Group.objects.get(name=role))
        if branch:
            Agent.objects.get_or_create(
                user=user,
                defaults={
                    "branch": branches[branch],
                    "licence_number": f"BRN-{rng.randint(10000, 99999)}",
                },
            )
        users[username] = user
    # The sales manager runs the Downtown office: its agents' records are theirs to see.
    downtown = branches["downtown"]
    if downtown.manager_id is None:
        downtown.manager = users["manager"]
        downtown.save(update_fields=["manager", "updated_at"])
    return users


def app_login(username: str, *, first_name: str, last_name: str) -> User:
    """A mobile-app login (never staff) whose password is its username."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=username,
            first_name=first_name,
            last_name=last_name,
            is_staff=False,
        )
    return user
