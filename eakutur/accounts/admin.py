from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from eakutur.admin_mixins import ReadOnlyAdmin

from .lockout import lockout_lift
from .models import LockoutScope, LoginLockout, SecondFactor, User
from .views import admin_login

# The admin signs in through the portal's sign-in: the same lockout, the same second factor.
admin.site.login = admin_login


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """User management is for commune admins only, and only within their own commune."""

    list_display = ("username", "get_full_name", "role", "commune", "is_active")
    search_fields = ("username", "full_name", "first_name", "last_name", "email")
    list_filter = ("role", "is_active", "commune")
    filter_horizontal = ("villages", "groups", "user_permissions")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Portal role"),
            {"fields": ("full_name", "role", "commune", "villages", "phone")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Portal role"), {"fields": ("full_name", "role", "commune", "villages")}),
    )

    def _allowed(self, request) -> bool:
        return request.user.is_active and request.user.can_manage_users

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate instead: history points at users

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        # A superuser is the deployment's operator, whatever commune they are attached
        # to: a commune admin who could reset their password would be one.
        return qs.filter(commune_id=request.user.commune_id, is_superuser=False)

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return tuple(f for f in self.list_filter if f != "commune")  # theirs only

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "villages" and not request.user.is_superuser:
            from households.models import Village

            kwargs["queryset"] = Village.objects.filter(
                commune_id=request.user.commune_id
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commune" and not request.user.is_superuser:
            from households.models import Commune

            kwargs["queryset"] = Commune.objects.filter(pk=request.user.commune_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        ro = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # A commune admin cannot mint superusers or hand out raw permissions.
            ro += ["is_superuser", "user_permissions", "groups"]
        return ro


@admin.register(LoginLockout)
class LoginLockoutAdmin(ReadOnlyAdmin):
    """Lockouts, for the commune administrator who is asked "why can't I sign in?".
    Read-only, but a lockout can be lifted early. A commune administrator sees the
    lockouts of their commune's usernames; address-wide ones and unknown usernames are
    for superusers."""

    list_display = ("username", "address", "scope", "started_at", "until", "active")
    list_filter = ("scope",)
    search_fields = ("username", "address")
    date_hierarchy = "started_at"
    actions = ["lift"]

    @admin.display(boolean=True, description=_("in force"))
    def active(self, obj: LoginLockout) -> bool:
        return obj.until > timezone.now()

    @admin.action(description=_("Lift the selected lockouts now"))
    def lift(self, request, queryset):
        lifted = 0
        for lockout in queryset.filter(until__gt=timezone.now()):
            lockout_lift(lockout=lockout)
            lifted += 1
        self.message_user(
            request,
            ngettext("%(n)d lockout lifted.", "%(n)d lockouts lifted.", lifted)
            % {"n": lifted},
            messages.SUCCESS,
        )

    def _allowed(self, request) -> bool:
        return request.user.is_active and request.user.can_manage_users

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        usernames = (
            User.objects.filter(commune_id=request.user.commune_id)
            .annotate(key=Lower("username"))
            .values("key")
        )
        return qs.filter(scope=LockoutScope.ACCOUNT, username__in=usernames)


@admin.register(SecondFactor)
class SecondFactorAdmin(ReadOnlyAdmin):
    """Who has the second factor on. A superuser deletes the row of an administrator who
    lost both the phone and the recovery codes; they then sign in with the password
    and enrol again. The secret is never shown."""

    list_display = ("user", "enabled_at")
    fields = ("user", "enabled_at")
    search_fields = ("user__username",)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)
