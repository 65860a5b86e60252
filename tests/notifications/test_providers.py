"""SMS through Twilio and push through FCM HTTP v1, against local stand-ins of their APIs:
what is sent, what a refusal does (fails at once, or removes the device), what a passing
failure does (retried later)."""

import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from realestate.accounts.models import Device
from realestate.notifications import dispatch, services
from realestate.notifications.backends import fcm
from realestate.notifications.choices import Channel, DeliveryStatus, MessageKind
from realestate.notifications.models import Delivery
from tests.factories import ClientFactory, DeviceFactory, UnitFactory, UserFactory
from tests.notifications.standins import StandIn

pytestmark = pytest.mark.django_db

SID, AUTH = "AC0123456789abcdef0123456789abcdef", "secret-auth-token"
CONTEXT = {"name": "Ann", "company": "Acme", "number": "2", "contract": "SC-1", "amount": "500"}


@pytest.fixture(autouse=True)
def quick_retries(settings):
    settings.NOTIFICATION_RETRY_SECONDS = [60, 300]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _due_now():
    Delivery.objects.filter(status=DeliveryStatus.QUEUED).update(next_attempt_at=timezone.now())


# --- Twilio -------------------------------------------------------------------------------------


@pytest.fixture
def twilio(settings):
    def use(standin):
        settings.NOTIFICATION_BACKENDS = {
            "sms": "realestate.notifications.backends.twilio.TwilioSmsBackend"
        }
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = SID, AUTH
        settings.TWILIO_FROM = "+15005550006"
        settings.TWILIO_API_BASE = standin.url
        settings.TWILIO_TIMEOUT = 0.5

    return use


def _sms_to(phone="+971501234567"):
    client = ClientFactory(phone=phone, email="", portal_user=None)
    services.notify(
        MessageKind.INSTALMENT_DUE, record=UnitFactory(), recipients=[client], context=CONTEXT
    )
    return Delivery.objects.get(channel=Channel.SMS)


def test_twilio_sends_the_sms(twilio):
    with StandIn(lambda got: (201, {"sid": "SM42", "status": "queued"}, 0)) as standin:
        twilio(standin)
        sms = _sms_to()
        dispatch.deliveries_dispatch()
    sms.refresh_from_db()
    assert (sms.status, sms.provider_id, sms.address) == ("sent", "SM42", "+971501234567")
    (got,) = standin.received
    assert got.path == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert (
        got.headers["Authorization"]
        == "Basic " + base64.b64encode(f"{SID}:{AUTH}".encode()).decode()
    )
    form = got.form()
    assert (form["To"], form["From"]) == ("+971501234567", "+15005550006")
    assert "instalment 2 of SC-1" in form["Body"]


def test_twilio_refusing_the_number_fails_at_once(twilio):
    refusal = {"code": 21211, "message": "The 'To' number 123 is not valid.", "status": 400}
    with StandIn(lambda got: (400, refusal, 0)) as standin:
        twilio(standin)
        sms = _sms_to("123")
        dispatch.deliveries_dispatch()
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (DeliveryStatus.FAILED, 1)
    assert "21211" in sms.error and "not valid" in sms.error
    assert len(standin.received) == 1


def test_twilio_errors_and_timeouts_are_retried(twilio):
    answers = iter(
        [
            (503, {"code": 20500, "message": "Service unavailable", "status": 503}, 0),
            (201, {"sid": "SM1"}, 2),  # slower than the timeout
            (201, {"sid": "SM2"}, 0),
        ]
    )
    with StandIn(lambda got: next(answers)) as standin:
        twilio(standin)
        sms = _sms_to()
        dispatch.deliveries_dispatch()
        sms.refresh_from_db()
        assert (sms.status, sms.attempts) == (DeliveryStatus.QUEUED, 1)
        assert "503" in sms.error and sms.next_attempt_at > timezone.now()
        _due_now()
        dispatch.deliveries_dispatch()
        sms.refresh_from_db()
        assert (sms.status, sms.attempts) == (DeliveryStatus.QUEUED, 2)
        assert "Timeout" in sms.error or "timed out" in sms.error
        _due_now()
        dispatch.deliveries_dispatch()
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.provider_id) == (DeliveryStatus.SENT, 3, "SM2")


# --- FCM ----------------------------------------------------------------------------------------


@pytest.fixture
def service_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def fcm_setup(settings, tmp_path, service_key):
    fcm._tokens.clear()

    def use(standin):
        pem = service_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        account = {
            "type": "service_account",
            "project_id": "demo-project",
            "private_key_id": "key-1",
            "private_key": pem,
            "client_email": "push@demo-project.iam.gserviceaccount.com",
            "token_uri": f"{standin.url}/token",
        }
        path = tmp_path / "service-account.json"
        path.write_text(json.dumps(account))
        settings.NOTIFICATION_BACKENDS = {
            "push": "realestate.notifications.backends.fcm.FcmPushBackend"
        }
        settings.FCM_SERVICE_ACCOUNT_FILE = str(path)
        settings.FCM_API_BASE = standin.url
        settings.FCM_TIMEOUT = 0.5

    yield use
    fcm._tokens.clear()


def fcm_standin(service_key, sends):
    """The token endpoint (checks the signed JWT) and the send endpoint (``sends(token)``)."""
    public = service_key.public_key()

    def handler(got):
        if got.path == "/token":
            form = got.form()
            assert form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
            claims = jwt.decode(
                form["assertion"], public, algorithms=["RS256"], audience=f"{standin.url}/token"
            )
            assert claims["scope"] == fcm.SCOPE
            return 200, {"access_token": "ya29.test", "expires_in": 3599}, 0
        assert got.path == "/v1/projects/demo-project/messages:send"
        assert got.headers["Authorization"] == "Bearer ya29.test"
        return sends(got.json()["message"]["token"])

    standin = StandIn(handler)
    return standin


def _push_to(user):
    services.notify(
        MessageKind.INSTALMENT_DUE, record=UnitFactory(), recipients=[user], context=CONTEXT
    )
    return Delivery.objects.get(channel=Channel.PUSH)


def unregistered(token):
    return (
        404,
        {
            "error": {
                "code": 404,
                "message": "Requested entity was not found.",
                "status": "NOT_FOUND",
                "details": [
                    {
                        "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                        "errorCode": "UNREGISTERED",
                    }
                ],
            }
        },
        0,
    )


def test_fcm_sends_one_request_per_device_and_drops_unregistered_ones(fcm_setup, service_key):
    user = UserFactory()
    good = DeviceFactory(user=user, push_token="token-good")
    DeviceFactory(user=user, push_token="token-stale")
    DeviceFactory(user=user, push_token="token-bad")

    def sends(token):
        if token == "token-good":
            return 200, {"name": "projects/demo-project/messages/0:1"}, 0
        if token == "token-bad":
            return 400, {"error": {"code": 400, "message": "bad", "status": "INVALID_ARGUMENT"}}, 0
        return unregistered(token)

    with fcm_standin(service_key, sends) as standin:
        fcm_setup(standin)
        push = _push_to(user)
        dispatch.deliveries_dispatch()
    push.refresh_from_db()
    assert (push.status, push.provider_id) == ("sent", "projects/demo-project/messages/0:1")
    assert list(Device.objects.values_list("pk", flat=True)) == [good.pk]
    sent = [got.json()["message"] for got in standin.received if got.path != "/token"]
    assert [message["token"] for message in sent] == ["token-good", "token-stale", "token-bad"]
    assert sent[0]["notification"]["title"].startswith("Instalment 2 of SC-1")
    assert sum(got.path == "/token" for got in standin.received) == 1  # the token is kept


def test_fcm_all_devices_gone_fails_and_is_not_retried(fcm_setup, service_key):
    user = UserFactory()
    DeviceFactory(user=user, push_token="token-stale")
    with fcm_standin(service_key, unregistered) as standin:
        fcm_setup(standin)
        push = _push_to(user)
        dispatch.deliveries_dispatch()
    push.refresh_from_db()
    assert (push.status, push.attempts) == (DeliveryStatus.FAILED, 1)
    assert "UNREGISTERED" in push.error
    assert not Device.objects.exists()


def test_fcm_unavailable_is_retried(fcm_setup, service_key):
    user = UserFactory()
    DeviceFactory(user=user, push_token="token-good")
    answers = iter(
        [
            (503, {"error": {"code": 503, "status": "UNAVAILABLE", "message": "down"}}, 0),
            (200, {"name": "projects/demo-project/messages/0:2"}, 0),
        ]
    )
    with fcm_standin(service_key, lambda token: next(answers)) as standin:
        fcm_setup(standin)
        push = _push_to(user)
        dispatch.deliveries_dispatch()
        push.refresh_from_db()
        assert (push.status, push.attempts) == (DeliveryStatus.QUEUED, 1)
        assert "UNAVAILABLE" in push.error
        _due_now()
        dispatch.deliveries_dispatch()
    push.refresh_from_db()
    assert (push.status, push.attempts) == (DeliveryStatus.SENT, 2)
    assert Device.objects.count() == 1
