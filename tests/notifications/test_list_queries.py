"""A page of notifications costs the same queries for 2 rows as for 12, rendered or not (the
ones not rendered yet are rendered together: templates and letterhead read once)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import NotificationFactory, SuperUserFactory

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/api/v1/notifications/", "/admin/notifications/centre/"])
def test_a_page_of_unrendered_notifications_costs_no_query_per_row(client, url):
    user = SuperUserFactory(username="reader")
    api = APIClient()
    api.force_authenticate(user)
    client.force_login(user)
    caller = api if url.startswith("/api/") else client
    NotificationFactory.create_batch(2, user=user, in_app=True)
    few = queries(caller, url)
    NotificationFactory.create_batch(10, user=user, in_app=True)
    many = queries(caller, url)
    assert many == few
