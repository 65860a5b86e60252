from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from unfold.admin import ModelAdmin, StackedInline
from unfold.decorators import action, display
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from realestate.accounts.models import Agent, Branch, RolePolicy, User
from realestate.accounts.twofactor import remove_devices
from realestate.core.admin import BaseAdmin, MapAdminMixin

admin.site.unregister(Group)
# django-otp's raw device admins expose secrets and are not needed: staff manage their own
# devices at /admin/security/, and administrators reset a user's 2FA with the user action.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ModelAdmin):
    form = UserChangeForm
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
            remove_devices(user)
        self.message_user(request, _("Two-factor authentication reset for %(count)d users.")
                          % {"count": queryset.count()})

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
class GroupAdmin(DjangoGroupAdmin, ModelAdmin):
    inlines = [RolePolicyInline]


@admin.register(Branch)
class BranchAdmin(MapAdminMixin, BaseAdmin):
    list_display = ["name", "code", "city", "phone", "email"]
    search_fields = ["name", "code", "city"]
    list_filter = ["city"]
    prepopulated_fields = {"code": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "code", "city", "address", "phone", "email"]}),
        (_("Location"), {"fields": ["location"]}),
    ]


@admin.register(Agent)
class AgentAdmin(MapAdminMixin, BaseAdmin):
    list_display = ["user", "branch", "licence_number", "licence_expiry", "commission_rate",
                    "is_active"]
    list_select_related = ["user", "branch"]
    list_filter = ["branch", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "licence_number"]
    autocomplete_fields = ["user", "branch"]
    fieldsets = [
        (None, {"fields": ["user", "branch", "is_active"]}),
        (_("Licence and commission"),
         {"fields": ["licence_number", "licence_expiry", "commission_rate"]}),
        (_("Territory"), {"fields": ["territory"]}),
    ]
