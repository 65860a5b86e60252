"""Staff reset a forgotten password by e-mail, from the admin's login page."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
RESET = reverse("admin_password_reset")
SENT = reverse("password_reset_done")
NEW_PASSWORD = "Correct-horse-42-battery"
LINK = re.compile(r"https?://testserver(/admin/security/password-reset/[^/\s]+/[^/\s]+/)")


def ask(client, email):
    response = client.post(RESET, {"email": email})
    assert response.status_code == 302
    assert response["Location"] == SENT
    return response


def test_login_page_links_to_the_reset(client):
    page = client.get(LOGIN).content.decode()

    assert f'href="{RESET}"' in page
    assert "Forgotten your password" in page


def test_reset_pages_have_the_login_pages_look(client):
    for url in (RESET, SENT, reverse("password_reset_complete")):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Real-estate back office" in html  # unfold's site title, as on the login page
        assert 'class="bg-white flex min-h-screen' in html  # unfold's unauthenticated layout


def test_full_reset_flow_sets_the_password_and_ends_api_tokens(client):
    user = UserFactory(username="forgetful", email="forgetful@example.com")
    pair = (
        APIClient()
        .post("/api/v1/auth/token/", {"username": "forgetful", "password": "pass"}, format="json")
        .json()
    )

    ask(client, "Forgetful@Example.com")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["forgetful@example.com"]
    assert "Real-estate back office" in message.subject + message.body
    assert "forgetful" in message.body
    link = LINK.search(message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Every API token of the user ended with the reset.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert api.get("/api/v1/units/").status_code == 401
    assert (
        APIClient()
        .post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
        .status_code
        == 401
    )
    # The link works once, and the new password logs in to the admin.
    assert client.get(link, follow=True).context["validlink"] is False
    login = client.post(LOGIN, {"username": "forgetful", "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert login["Location"] == reverse("admin:index")


@pytest.mark.parametrize("kind", ["unknown", "inactive", "unusable password", "not staff"])
def test_no_mail_and_the_same_answer_for_who_may_not_reset(client, kind):
    user = UserFactory(username="someone", email="someone@example.com")
    if kind == "inactive":
        user.is_active = False
    elif kind == "unusable password":
        user.set_unusable_password()
    elif kind == "not staff":
        user.is_staff = False
    user.save()
    email = "nobody@example.com" if kind == "unknown" else "someone@example.com"

    response = ask(client, email)

    assert mail.outbox == []
    assert client.get(response["Location"]).content == client.get(SENT).content


def test_bad_link_says_so(client):
    page = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))

    assert page.status_code == 200
    assert page.context["validlink"] is False
    assert "invalid" in page.content.decode()
