"""Which outside providers this installation has keys for (read from the settings), asked by
apps on every floor: the app's profile says whether it may offer to pay by card."""

from django.conf import settings


def online_payment_enabled() -> bool:
    """Card payments through Stripe: its secret and publishable keys and the webhook's
    signing secret are all set (``finance.services.online_payments``)."""
    return bool(
        settings.STRIPE_SECRET_KEY
        and settings.STRIPE_PUBLISHABLE_KEY
        and settings.STRIPE_WEBHOOK_SECRET
    )
