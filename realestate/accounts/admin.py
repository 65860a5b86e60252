from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from realestate.accounts.models import Agent, Branch, User
from realestate.core.admin import BaseAdmin, MapAdminMixin

admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ["username", "full_name", "email", "is_staff", "is_superuser", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Contact"), {"fields": ["phone"]}),)

    @display(description=_("Name"), ordering="last_name")
    def full_name(self, obj):
        return obj.get_full_name() or "—"


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin, ModelAdmin):
    pass


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
