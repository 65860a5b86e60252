"""What the benchmark commands share: a logged-in test client, a GET that must succeed."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.test import Client


def logged_in_client(user) -> Client:
    """A test client with ``user``'s session, as the benchmarks time pages in-process."""
    client = Client()
    client.force_login(user)
    return client


def get_ok(client: Client, url: str):
    """GET ``url``; anything but a 200 stops the benchmark, saying which page and why."""
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"GET {url} answered {response.status_code}.")
    return response
