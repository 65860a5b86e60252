from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from unfold.admin import ModelAdmin, StackedInline
from unfold.decorators import action, display
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from realestate.accounts import services
from realestate.accounts.models import Agent, Branch, RolePolicy, User
from realestate.accounts.roles import roles_about
from realestate.accounts.selectors import assignable_users
from realestate.core.admin import (
    BaseAdmin,
    ListExportMixin,
    MapAdminMixin,
    MissingIs404Mixin,
    OfferedActionsOnlyMixin,
)
from realestate.core.permissions import is_agent_field

admin.site.unregister(Group)
# django-otp's raw device admins expose secrets and are not needed: staff manage their own
# devices at /admin/security/, and administrators reset a user's 2FA with the user action.
# simplejwt's token tables are bookkeeping: a password change or a deactivation ends a
# user's tokens (see accounts.api.authentication), so they get no admin pages either.
for _device_model in (TOTPDevice, StaticDevice, OutstandingToken, BlacklistedToken):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


class MembershipAuditMixin:
    """The admin log of a user or a role names the roles and permissions added and removed,
    not only "Changed groups": the audit shows who gave whom which access, and when."""

    audited_relations: tuple[str, ...] = ()

    def save_related(self, request, form, formsets, change):
        before = {name: self._members(form.instance, name) for name in self.audited_relations}
        super().save_related(request, form, formsets, change)
        request._membership_changes = [
            self._describe(name, before[name], self._members(form.instance, name))
            for name in self.audited_relations
        ]

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        extra = [text for text in getattr(request, "_membership_changes", []) if text]
        if extra:
            message = (
                [*message, {"changed": {"fields": extra}}] if isinstance(message, list) else message
            )
        return message

    @staticmethod
    def _members(obj, name) -> set[str]:
        if obj.pk is None:
            return set()
        return {str(item) for item in getattr(obj, name).all()}

    def _describe(self, name, before: set[str], after: set[str]) -> str:
        added, removed = sorted(after - before), sorted(before - after)
        parts = [f"+{item}" for item in added] + [f"−{item}" for item in removed]
        if not parts:
            return ""
        label = self.model._meta.get_field(name).verbose_name
        return f"{label}: {', '.join(parts)}"


class StaffUserChangeForm(UserChangeForm):
    def clean(self):
        cleaned = super().clean()
        client = getattr(self.instance, "client_profile", None) if self.instance.pk else None
        if cleaned.get("is_staff") and client is not None:
            # Owners and tenants are app users, never staff: the admin holds everybody's data.
            self.add_error(
                "is_staff",
                _("This login is the mobile app login of client “%(client)s”: it cannot be staff.")
                % {"client": client},
            )
        return cleaned


@admin.register(User)
class UserAdmin(
    ListExportMixin,
    MissingIs404Mixin,
    OfferedActionsOnlyMixin,
    MembershipAuditMixin,
    DjangoUserAdmin,
    ModelAdmin,
):
    personal_data = True  # names, e-mails and phones of the staff
    export_columns = [
        "username",
        "first_name",
        "last_name",
        "email",
        "phone",
        "is_active",
        "is_staff",
        "is_superuser",
        "date_joined",
        "last_login",
    ]
    audited_relations = ("groups", "user_permissions")
    form = StaffUserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ["username", "full_name", "email", "is_staff", "is_superuser", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Contact"), {"fields": ["phone"]}),)
    actions = ["reset_two_factor"]

    @action(description=_("Reset two-factor authentication"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            services.two_factor_reset(user=user, by=request.user)
        self.message_user(
            request,
            _("Two-factor authentication reset for %(count)d users.") % {"count": queryset.count()},
        )

    # --- choosing whom to assign a record to ---------------------------------------------
    # An agent field's autocomplete lists people: staff who may assign records but not read
    # the users list get the people they may assign to (``assignable_users``), nobody else.
    def _assignment_lookup(self, request):
        """The model whose assignment field this autocomplete request fills, or None."""
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name != "autocomplete":
            return None
        try:
            model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        except (KeyError, LookupError, ValueError):
            return None
        if request.GET.get("field_name") not in getattr(model, "assignment_fields", ()):
            return None
        source_admin = self.admin_site._registry.get(model)
        if source_admin and (
            source_admin.has_add_permission(request) or source_admin.has_change_permission(request)
        ):
            return model
        return None

    def has_view_permission(self, request, obj=None):
        if obj is None and self._assignment_lookup(request):
            return True
        return super().has_view_permission(request, obj)

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        model = self._assignment_lookup(request)
        if model is not None:
            queryset = assignable_users(
                request.user, queryset, agents_only=is_agent_field(model, request.GET["field_name"])
            )
        return queryset, duplicates

    @display(description=_("Name"), ordering="last_name")
    def full_name(self, obj):
        return obj.get_full_name() or "—"


class RolePolicyInline(StackedInline):
    model = RolePolicy
    can_delete = False
    max_num = 1
    extra = 1
    verbose_name = _("security policy")


@admin.register(Group)
class GroupAdmin(MissingIs404Mixin, MembershipAuditMixin, DjangoGroupAdmin, ModelAdmin):
    audited_relations = ("permissions",)
    list_display = ["name", "about", "members"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("user"))

    @display(description=_("What it is for"))
    def about(self, obj):
        return roles_about().get(obj.name, "—")

    @display(description=_("Members"), ordering="member_count")
    def members(self, obj):
        return obj.member_count

    inlines = [RolePolicyInline]


@admin.register(Branch)
class BranchAdmin(MapAdminMixin, BaseAdmin):
    export_columns = [
        "code",
        "name",
        "city",
        "address",
        "phone",
        "email",
        ("manager__username", "Manager"),
    ]
    list_display = ["name", "code", "city", "manager", "phone", "email"]
    list_select_related = ["manager"]
    search_fields = ["name", "code", "city"]
    list_filter = ["city"]
    prepopulated_fields = {"code": ["name"]}
    autocomplete_fields = ["manager"]
    fieldsets = [
        (None, {"fields": ["name", "code", "city", "address", "phone", "email"]}),
        (_("Management"), {"fields": ["manager"]}),
        (_("Location"), {"fields": ["location"]}),
    ]


@admin.register(Agent)
class AgentAdmin(MapAdminMixin, BaseAdmin):
    export_columns = [
        ("user__username", "Agent"),
        ("user__first_name", "First name"),
        ("user__last_name", "Last name"),
        ("branch__code", "Branch"),
        "licence_number",
        "licence_expiry",
        "commission_rate",
        "is_active",
    ]
    list_display = [
        "user",
        "branch",
        "licence_number",
        "licence_expiry",
        "commission_rate",
        "is_active",
    ]
    list_select_related = ["user", "branch"]
    list_filter = ["branch", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "licence_number"]
    autocomplete_fields = ["user", "branch"]
    fieldsets = [
        (None, {"fields": ["user", "branch", "is_active"]}),
        (
            _("Licence and commission"),
            {"fields": ["licence_number", "licence_expiry", "commission_rate"]},
        ),
        (_("Territory"), {"fields": ["territory"]}),
    ]
