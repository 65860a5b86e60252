"""The bell in the admin's header counts a notification written by another process, without a
reload: the admin served by daphne (ASGI, as ``make run`` and production serve it) with the
Redis channel layer, a real Chromium on it, and ``manage.py shell`` writing the notification
as a job would. Then the bell's list and the Notifications page show it."""

import os
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.browser.conftest import CHROMIUM, local_page
from tests.factories import SuperUserFactory, UnitFactory
from tests.notifications.live_support import redis_server  # noqa: F401 - fixture
from tests.processes import database_url, free_port

ROOT = Path(__file__).resolve().parents[2]
MANAGE = str(ROOT / "manage.py")


@pytest.fixture
def world(tmp_path, transactional_db, redis_server):  # noqa: F811
    """The superuser "boss" (password "pass", hashed as the server checks it) and a unit,
    then the environment every process of the test shares."""
    boss = SuperUserFactory(username="boss", first_name="Nadia", last_name="Haddad")
    boss.password = PBKDF2PasswordHasher().encode("pass", "browsersalt")
    boss.save(update_fields=["password"])
    unit = UnitFactory(code="MH-1204")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "notification-bell-browser-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "MAP_TILES_URL": "",
        "REDIS_URL": redis_server,
        "CHANNELS_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
        "NOTIFICATIONS_DISPATCH_INLINE": "true",
        "PYTHONUNBUFFERED": "1",
    }
    env["DATABASE_URL"] = database_url(tmp_path)
    return {"env": env, "boss": boss, "unit": unit}


@pytest.fixture
def daphne(world, tmp_path):
    port = free_port()
    log = open(tmp_path / "daphne.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "config.asgi:application"],
        cwd=ROOT, env=world["env"], stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(
                        "daphne did not start:\n" + (tmp_path / "daphne.log").read_text()
                    ) from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def browser_page(daphne):
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need {CHROMIUM}")
    with local_page(daphne, {"width": 1400, "height": 900}) as page:
        yield page


def shell(env, code: str) -> None:
    subprocess.run(
        [sys.executable, MANAGE, "shell", "-c", code],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


NOTIFY = """
from django.contrib.auth import get_user_model
from realestate.notifications import services
from realestate.properties.models import Unit
unit = Unit.objects.get(code="MH-1204")
services.notify(
    "lease_ending", record=unit, recipients=[get_user_model().objects.get(username="boss")],
    step="{step}",
    context={{"name": "Nadia Haddad", "lease": "LS-0042", "unit": unit.code,
             "end_date": "2027-01-31", "days": "{step}", "company": "Acme Realty"}},
)
"""


def screenshot(page, tmp_path, name: str) -> None:
    """Kept with the test's files, and in ``$SCREENSHOT_DIR`` when set (to look at)."""
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path)
    if os.environ.get("SCREENSHOT_DIR"):
        shutil.copy(path, Path(os.environ["SCREENSHOT_DIR"]) / path.name)


def test_the_bell_counts_a_notification_written_by_another_process(
    browser_page, daphne, world, tmp_path
):
    page = browser_page
    page.goto(f"{daphne}/admin/login/?next=/admin/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "pass")
    page.click("form [type=submit]")
    page.wait_for_url(f"{daphne}/admin/")

    badge = page.locator("#notification-bell [data-bell-count]")
    page.wait_for_function("window.realestateLive && window.realestateLive.connected")
    assert badge.is_hidden()

    shell(world["env"], NOTIFY.format(step="30"))
    page.wait_for_function(
        "document.querySelector('#notification-bell [data-bell-count]').textContent === '1'"
    )
    assert badge.is_visible()
    shell(world["env"], NOTIFY.format(step="60"))
    page.wait_for_function(
        "document.querySelector('#notification-bell [data-bell-count]').textContent === '2'"
    )
    screenshot(page, tmp_path, "bell-count")

    page.click("#notification-bell [data-bell-toggle]")
    items = page.locator("#notification-bell .notification-item")
    items.first.wait_for()
    assert items.count() == 2
    assert "MH-1204" in page.locator("#notification-bell [data-bell-list]").inner_text()
    screenshot(page, tmp_path, "bell-open")

    page.click("#notification-bell [data-bell-read-all]")
    page.wait_for_url(f"{daphne}/admin/")
    page.wait_for_function("window.realestateLive && window.realestateLive.connected")
    assert badge.is_hidden()

    shell(world["env"], NOTIFY.format(step="90"))
    page.wait_for_function(
        "document.querySelector('#notification-bell [data-bell-count]').textContent === '1'"
    )
    page.click("#notification-bell [data-bell-toggle]")
    page.get_by_text("See all notifications").click()
    page.wait_for_url(f"{daphne}/admin/notifications/centre/")
    assert page.locator("[data-notification]").count() == 3
    assert page.locator(".notification-row.is-unread").count() == 1
    screenshot(page, tmp_path, "centre")

    page.locator(".notification-row.is-unread a").first.click()
    page.wait_for_url(f"{daphne}/admin/properties/unit/{world['unit'].pk}/change/")
    page.wait_for_function(
        "window.realestateLive && window.realestateLive.connected"
        " && document.querySelector('#notification-bell').dataset.unread === '0'"
    )
    assert page.blocked_requests == []
    assert page.console_errors == []
