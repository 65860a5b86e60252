"""Admin login with throttling, the forms of the two-factor pages and of the password reset."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
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


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form in the admin's look. Django mails only active users with a usable
    password and this e-mail address; this form also leaves out all but staff (the page is
    the admin's). The page says the same whether or not a mail went out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(
            {"class": " ".join(BASE_INPUT_CLASSES), "autofocus": ""}
        )

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)


class StyledSetPasswordForm(SetPasswordForm):
    """The new password, twice, in the admin's look (saving it ends the user's API tokens)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["class"] = " ".join(BASE_INPUT_CLASSES)
