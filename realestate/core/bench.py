"""What the benchmark commands share: a logged-in test client, a GET that must succeed."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import connection
from django.test import Client


def logged_in_client(user) -> Client:
    """A test client with ``user``'s session, as the benchmarks time pages in-process."""
    client = Client()
    client.force_login(user)
    return client


def refuse_foreign_data(foreign: dict[str, int], *, force: bool, database: str, target: str, out):
    """Stop unless the database holds only what the benchmark made (``foreign``: counts of
    other rows by kind) or ``force`` says to go on; then say which database it runs on."""
    if any(foreign.values()) and not force:
        raise CommandError(
            "This database holds data the benchmark did not create ("
            + ", ".join(f"{n} {name}" for name, n in foreign.items() if n)
            + "). Run it on a database of its own, e.g. DATABASE_URL=postgis://postgres@"
            f"127.0.0.1:5432/{database} make {target}, or pass --force."
        )
    out.write(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")


def get_ok(client: Client, url: str):
    """GET ``url``; anything but a 200 stops the benchmark, saying which page and why."""
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"GET {url} answered {response.status_code}.")
    return response
