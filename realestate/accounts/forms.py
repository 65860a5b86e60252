"""Admin login with throttling, and the forms of the two-factor pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unfold.forms import AuthenticationForm
from unfold.widgets import BASE_INPUT_CLASSES

from realestate.accounts import throttling


class ThrottledAuthenticationForm(AuthenticationForm):
    """unfold's admin login form, locked after repeated failures per username and address."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = throttling.client_ip(self.request)
        minutes = throttling.locked_minutes(username, ip)
        if minutes:
            raise ValidationError(throttling.lockout_message(minutes), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            minutes = throttling.record_failure(username, ip)
            if minutes:
                raise ValidationError(throttling.lockout_message(minutes), code="locked") from None
            raise
        throttling.reset_user(username)
        return cleaned


class TokenForm(forms.Form):
    """A 6-digit code from the authenticator app, or a backup code."""

    token = forms.CharField(
        label=_("Authentication code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": "",
                "inputmode": "numeric",
                "class": " ".join(BASE_INPUT_CLASSES),
            }
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()
