"""Two-factor pages (verify a code after the password, enrol an authenticator,
self-service) and the staff password reset by e-mail."""

from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login
from django_otp import match_token

from realestate.accounts import twofactor
from realestate.accounts.forms import StaffPasswordResetForm, StyledSetPasswordForm, TokenForm


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


def staff_required(view):
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return never_cache(csrf_protect(wrapped))


def _context(request, **extra):
    return {
        **admin.site.each_context(request),
        "next": _next_url(request),
        "title": _("Two-factor authentication"),
        **extra,
    }


@staff_required
def verify(request):
    """Second login step: a code from the authenticator app or a backup code."""
    user = request.user
    if user.is_verified() or not twofactor.has_any_device(user):
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("The code is not valid. Try again."))
    return render(request, "accounts/two_factor_verify.html", _context(request, form=form))


@staff_required
def enrol(request):
    """Set up an authenticator app; on success show the backup codes once."""
    user = request.user
    if twofactor.has_authenticator(user):
        return redirect("two_factor_security")
    device = twofactor.pending_totp(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = twofactor.new_backup_codes(user)
            return render(
                request, "accounts/two_factor_backup_codes.html", _context(request, codes=codes)
            )
        form.add_error("token", _("The code is not valid. Check the clock of your device."))
    return render(
        request,
        "accounts/two_factor_enrol.html",
        _context(
            request,
            form=form,
            secret=twofactor.secret_base32(device),
            otpauth_uri=device.config_url,
            required=twofactor.two_factor_required(user),
        ),
    )


@staff_required
def security(request):
    """Self-service: status, reset the authenticator, regenerate backup codes."""
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reset":
            twofactor.remove_devices(user)
            messages.info(request, _("Two-factor authentication removed. Enrol a new device."))
            return redirect("two_factor_enrol")
        if action == "backup_codes" and twofactor.has_authenticator(user):
            codes = twofactor.new_backup_codes(user)
            return render(
                request,
                "accounts/two_factor_backup_codes.html",
                _context(request, codes=codes, next=reverse("two_factor_security")),
            )
        return redirect("two_factor_security")
    backup = user.staticdevice_set.filter(name=twofactor.BACKUP_NAME).first()
    return render(
        request,
        "accounts/two_factor_security.html",
        _context(
            request,
            enrolled=twofactor.has_authenticator(user),
            required=twofactor.two_factor_required(user),
            backup_left=backup.token_set.count() if backup else 0,
        ),
    )


# --- Password reset (reached from "Forgotten your password?" on the admin login) ----------


class AdminLookMixin:
    """Django's password reset views with the admin's context (unfold's login look)."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetView(AdminLookMixin, auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm

    def form_valid(self, form):
        # The mail names the back office (unfold's site title), not the host name.
        self.extra_email_context = {
            "site_name": admin.site.each_context(self.request)["site_title"]
        }
        return super().form_valid(form)


class PasswordResetDoneView(AdminLookMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminLookMixin, auth_views.PasswordResetConfirmView):
    form_class = StyledSetPasswordForm


class PasswordResetCompleteView(AdminLookMixin, auth_views.PasswordResetCompleteView):
    pass
