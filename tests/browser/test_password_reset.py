"""A staff member who forgot their password resets it from the login page, in a real browser,
through pages that look like the login page."""

import re

import pytest
from django.core import mail
from django.urls import reverse


@pytest.mark.django_db(transaction=True)
def test_forgotten_password_from_the_login_page_to_a_new_login(page, live_server, tmp_path):
    from tests.factories import UserFactory

    UserFactory(username="forgetful", email="forgetful@example.com", is_superuser=True)

    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.get_by_text("Forgotten your password").click()
    page.fill("#id_email", "forgetful@example.com")
    page.get_by_role("button", name="Reset my password").click()
    page.get_by_text("We’ve e-mailed you instructions").wait_for()
    page.screenshot(path=str(tmp_path / "sent.png"), full_page=True)

    link = re.search(r"http://\S+/password-reset/\S+/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.fill("#id_new_password1", "Correct-horse-42")
    page.fill("#id_new_password2", "Correct-horse-42")
    page.get_by_role("button", name="Change my password").click()
    page.get_by_text("Your password has been set").wait_for()
    page.get_by_role("link", name="Log in").click()
    page.fill("#id_username", "forgetful")
    page.fill("#id_password", "Correct-horse-42")
    page.click("form [type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
    assert page.blocked_requests == [], "the page tried to reach beyond the test server"
