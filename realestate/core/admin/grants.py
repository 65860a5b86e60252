"""Single-record grants by hand: guardian's object-permission pages, styled by unfold."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdminMixin, UserManage
from guardian.core import ObjectPermissionChecker
from unfold.decorators import action

from realestate.core.permissions import (
    can_manage_grants,
)


class GrantUserForm(UserManage):
    """Guardian's "pick a user" form, in the staff's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label = _("Username")
        self.fields["user"].help_text = _("The login name of the staff member (e.g. agent1).")


class GrantsAdminMixin(GuardedModelAdminMixin):
    """Single-record grants by hand (django-guardian's object-permission pages, styled by
    unfold): an "Access" button on the record's page, shown to those who may manage grants
    (administrators), who pick a user or a group and tick what it may do with this record.
    Every change is written to the admin log of the record. Fields that hand out access
    (``grant_fields``: a branch's manager) are read-only to everybody else.
    """

    change_form_template = None  # unfold's own: the button is a detail action
    #: Detail action added to every admin whose records take object grants.
    grants_action = "object_access"

    def __init__(self, model, admin_site):
        self.include_object_permissions_urls = hasattr(model._default_manager, "restrict")
        super().__init__(model, admin_site)
        if self.include_object_permissions_urls:
            self.actions_detail = [*(self.actions_detail or []), self.grants_action]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_manage_grants(request.user):
            fields += [
                name for name in getattr(self.model, "grant_fields", ()) if name not in fields
            ]
        return fields

    def get_obj_perms_user_select_form(self, request):
        return GrantUserForm

    def has_manage_grants_permission(self, request, object_id=None) -> bool:
        # Guardian's pages also need the admin to allow changes (a read-only admin, such as
        # receivables', takes its access from its contract or lease instead).
        return can_manage_grants(request.user) and self.has_change_permission(request)

    @action(description=_("Access"), icon="lock", permissions=["manage_grants"])
    def object_access(self, request, object_id):
        opts = self.model._meta
        return redirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_permissions", args=[object_id])
        )

    def _grants_guard(self, request):
        if not self.has_manage_grants_permission(request):
            raise PermissionDenied

    def obj_perms_manage_view(self, request, object_pk):
        self._grants_guard(request)
        return super().obj_perms_manage_view(request, object_pk)

    def obj_perms_manage_user_view(self, request, object_pk, user_id):
        self._grants_guard(request)
        response = super().obj_perms_manage_user_view(request, object_pk, user_id)
        self._grants_logged(request, response, object_pk, get_user_model(), user_id)
        return response

    def obj_perms_manage_group_view(self, request, object_pk, group_id):
        self._grants_guard(request)
        response = super().obj_perms_manage_group_view(request, object_pk, group_id)
        self._grants_logged(request, response, object_pk, Group, group_id)
        return response

    def _grants_logged(self, request, response, object_pk, holder_model, holder_id):
        """After a saved grant form (guardian redirects only then): the record's admin log
        says who granted what to whom."""
        if request.method != "POST" or response.status_code != 302:
            return
        obj = self.model._default_manager.get(pk=object_pk)
        holder = holder_model._default_manager.get(pk=holder_id)
        checker = ObjectPermissionChecker(holder)
        held = sorted(checker.get_perms(obj))
        if holder_model is Group:
            who = _("group “%(name)s”") % {"name": holder}
        else:
            who = _("user “%(name)s” (%(login)s)") % {
                "name": holder,
                "login": holder.get_username(),
            }
        self.log_change(
            request,
            obj,
            _("Access of %(who)s set to: %(perms)s.")
            % {"who": who, "perms": ", ".join(held) or _("nothing")},
        )
